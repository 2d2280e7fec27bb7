package io.kopek.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.kopek.persistence.resource.ResourceType;
import io.kopek.persistence.store.StoreError;
import io.kopek.persistence.store.StoreException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalUriException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure as a Kubernetes {@code Status} object, shaped as upstream writes it: empty fields of
 * {@code details} and of each cause are left out, and {@code details} itself when nothing is in it.
 */
public final class StatusResponses {
  private static final Logger LOG = LoggerFactory.getLogger(StatusResponses.class);

  /** Upstream's request body limit (3 MiB). */
  public static final long MAX_BODY_BYTES = 3 * 1024 * 1024;

  private StatusResponses() {}

  // ---- errors upstream's handlers produce -----------------------------------------------------------------

  public static StoreError notFoundPath() {
    return new StoreError(404, "NotFound", "the server could not find the requested resource", null, null, null,
        List.of());
  }

  public static StoreError methodNotAllowed() {
    return new StoreError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
        null, null, null, List.of());
  }

  public static StoreError methodNotAllowed(ResourceType type, String name) {
    return new StoreError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
        name, type.group(), type.plural(), List.of());
  }

  public static StoreError unsupportedMediaType(List<String> accepted) {
    return new StoreError(415, "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: "
            + String.join(", ", accepted), null, null, null, List.of());
  }

  public static StoreError tooLarge() {
    return StoreError.tooLarge("Request entity too large: limit is " + MAX_BODY_BYTES);
  }

  public static StoreError timeout() {
    return StoreError.timeout("Timeout: request did not complete within the allotted timeout");
  }

  /** 422 about request options (CreateOptions, DeleteOptions, ...), as upstream's option validation words it. */
  public static StoreError invalidOptions(String optionsKind, String field, String message) {
    return invalidOptions(optionsKind, field, "FieldValueNotSupported", message);
  }

  /** @param message the field error as upstream renders it ("Unsupported value: ...", "Forbidden: ...") */
  public static StoreError invalidOptions(String optionsKind, String field, String causeReason, String message) {
    return new StoreError(422, "Invalid", optionsKind + ".meta.k8s.io \"\" is invalid: " + field + ": " + message,
        null, "meta.k8s.io", optionsKind, List.of(new StoreError.Cause(causeReason, message, field)));
  }

  /** The StoreError a failed stage carries; anything unexpected becomes a 500 InternalError (and is logged). */
  public static StoreError fromThrowable(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof StoreException se) return se.error();
    if (cause instanceof EntityStreamSizeException) return tooLarge();
    if (cause instanceof IllegalUriException u) return StoreError.badRequest(u.getMessage());
    if (cause instanceof java.util.concurrent.TimeoutException) return timeout();
    LOG.error("unexpected failure while serving a request", cause);
    return StoreError.internal("Internal error occurred: " + cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  // ---- rendering ----------------------------------------------------------------------------------------------

  public static HttpResponse response(StoreError error) {
    return JsonResponses.json(error.code(), statusBytes(error));
  }

  public static HttpResponse response(Throwable t) {
    return response(fromThrowable(t));
  }

  public static byte[] statusBytes(StoreError error) {
    return JsonResponses.write(g -> writeStatus(g, error));
  }

  /** Writes {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",...} with the given generator. */
  public static void writeStatus(JsonGenerator g, StoreError e) throws IOException {
    g.writeStartObject();
    g.writeStringField("kind", "Status");
    g.writeStringField("apiVersion", "v1");
    g.writeObjectFieldStart("metadata");
    g.writeEndObject();
    g.writeStringField("status", e.code() >= 200 && e.code() < 300 ? "Success" : "Failure");
    if (notEmpty(e.message())) g.writeStringField("message", e.message());
    if (notEmpty(e.reason())) g.writeStringField("reason", e.reason());
    List<StoreError.Cause> causes = e.causes() == null ? List.of() : e.causes();
    if (notEmpty(e.name()) || notEmpty(e.group()) || notEmpty(e.kind()) || !causes.isEmpty()) {
      g.writeObjectFieldStart("details");
      if (notEmpty(e.name())) g.writeStringField("name", e.name());
      if (notEmpty(e.group())) g.writeStringField("group", e.group());
      if (notEmpty(e.kind())) g.writeStringField("kind", e.kind());
      if (!causes.isEmpty()) {
        g.writeArrayFieldStart("causes");
        for (StoreError.Cause c : causes) {
          g.writeStartObject();
          if (notEmpty(c.reason())) g.writeStringField("reason", c.reason());
          if (notEmpty(c.message())) g.writeStringField("message", c.message());
          if (notEmpty(c.field())) g.writeStringField("field", c.field());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    g.writeNumberField("code", e.code());
    g.writeEndObject();
  }

  private static boolean notEmpty(String s) {
    return s != null && !s.isEmpty();
  }
}
