package io.kopek.persistence.store;

import io.kopek.persistence.CborSerializable;
import io.kopek.persistence.resource.ResourceType;
import java.util.List;

/**
 * A typed failure of the store, carrying exactly what a Kubernetes {@code Status} needs. The messages follow
 * upstream's wording because users and clients match on them.
 *
 * @param kind for details: the resource ("pods") for NotFound/AlreadyExists/Conflict, the Kind for Invalid
 */
public record StoreError(
    int code, String reason, String message, String name, String group, String kind, List<Cause> causes)
    implements CborSerializable {

  public record Cause(String reason, String message, String field) implements CborSerializable {}

  public StoreException exception() {
    return new StoreException(this);
  }

  public static StoreError notFound(ResourceType t, String name) {
    return new StoreError(404, "NotFound", t.qualifiedResource() + " \"" + name + "\" not found", name, t.group(),
        t.plural(), List.of());
  }

  public static StoreError alreadyExists(ResourceType t, String name) {
    return new StoreError(409, "AlreadyExists", t.qualifiedResource() + " \"" + name + "\" already exists", name,
        t.group(), t.plural(), List.of());
  }

  public static StoreError conflict(ResourceType t, String name) {
    return conflict(t, name, "the object has been modified; please apply your changes to the latest version and try again");
  }

  public static StoreError conflict(ResourceType t, String name, String why) {
    return new StoreError(409, "Conflict", "Operation cannot be fulfilled on " + t.qualifiedResource() + " \"" + name
        + "\": " + why, name, t.group(), t.plural(), List.of());
  }

  /** 422 Invalid with one cause per field error, message as upstream: {@code Pod "x" is invalid: [a, b]}. */
  public static StoreError invalid(ResourceType t, String name, List<Cause> causes) {
    String joined = causes.size() == 1
        ? causes.get(0).field() + ": " + causes.get(0).message()
        : "[" + String.join(", ", causes.stream().map(c -> c.field() + ": " + c.message()).toList()) + "]";
    return new StoreError(422, "Invalid", t.kind() + " \"" + name + "\" is invalid: " + joined, name, t.group(),
        t.kind(), causes);
  }

  public static StoreError invalidField(ResourceType t, String name, String field, String message) {
    return invalid(t, name, List.of(new Cause("FieldValueInvalid", message, field)));
  }

  public static StoreError expired(String message) {
    return new StoreError(410, "Expired", message, null, null, null, List.of());
  }

  public static StoreError tooLarge(String message) {
    return new StoreError(413, "RequestEntityTooLarge", message, null, null, null, List.of());
  }

  public static StoreError badRequest(String message) {
    return new StoreError(400, "BadRequest", message, null, null, null, List.of());
  }

  public static StoreError timeout(String message) {
    return new StoreError(504, "Timeout", message, null, null, null, List.of());
  }

  public static StoreError unavailable(String message) {
    return new StoreError(503, "ServiceUnavailable", message, null, null, null, List.of());
  }

  public static StoreError internal(String message) {
    return new StoreError(500, "InternalError", message, null, null, null, List.of());
  }
}
