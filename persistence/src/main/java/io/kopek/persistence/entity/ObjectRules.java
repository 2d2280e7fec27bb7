package io.kopek.persistence.entity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.patch.JsonMergePatch;
import io.kopek.persistence.patch.JsonPatch;
import io.kopek.persistence.patch.PatchException;
import io.kopek.persistence.resource.ResourceType;
import io.kopek.persistence.store.StoreError;
import io.kopek.persistence.validation.Names;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The Kubernetes object rules, as pure functions from (current object, request) to an outcome, so the entity only
 * sequences and persists. Upstream's generic registry and per-kind strategies are the reference.
 */
public final class ObjectRules {
  private ObjectRules() {}

  public sealed interface Outcome {}

  public record Refused(StoreError error) implements Outcome {}

  /** Nothing to write: the request leaves the object as it is (upstream skips such writes). */
  public record Unchanged(ObjectNode object) implements Outcome {}

  /** @param removes true when this write removes the object from the store */
  public record Write(ObjectNode object, boolean removes) implements Outcome {}

  private static final List<String> SERVER_SET_METADATA =
      List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation");

  // ---- create -------------------------------------------------------------------------------------------------

  public static Outcome create(ResourceType type, ObjectKey key, ObjectNode incoming, String now) {
    List<String> nameErrors = nameErrors(type, key.name());
    if (!nameErrors.isEmpty()) {
      return new Refused(StoreError.invalid(type, key.name(), nameErrors.stream()
          .map(e -> new StoreError.Cause("FieldValueInvalid", "Invalid value: \"" + key.name() + "\": " + e,
              "metadata.name"))
          .toList()));
    }
    ObjectNode next = incoming.deepCopy();
    next.put("apiVersion", type.apiVersion());
    next.put("kind", type.kind());
    ObjectNode meta = Json.metadata(next);
    meta.put("name", key.name());
    if (type.namespaced()) meta.put("namespace", key.namespace());
    else meta.remove("namespace");
    meta.remove(List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"));
    meta.put("uid", uid());
    meta.put("creationTimestamp", now);
    if (tracksGeneration(type)) meta.put("generation", 1);
    else meta.remove("generation");
    KindDefaults.onCreate(type, next);
    return new Write(next, false);
  }

  public static List<String> nameErrors(ResourceType type, String name) {
    if (name == null || name.isEmpty()) return List.of("name or generateName is required");
    return switch (type.nameRule()) {
      case DNS1123_SUBDOMAIN -> Names.isDns1123Subdomain(name);
      case DNS1123_LABEL -> Names.isDns1123Label(name);
      case DNS1035_LABEL -> Names.isDns1035Label(name);
      case PATH_SEGMENT -> Names.isPathSegmentName(name);
    };
  }

  // ---- update -------------------------------------------------------------------------------------------------

  /** @param subresource "" for the main resource, "status" for the status subresource */
  public static Outcome update(ResourceType type, ObjectKey key, ObjectNode current, ObjectNode incoming,
      String subresource) {
    if (current == null) return new Refused(StoreError.notFound(type, key.name()));
    String rv = Json.text(incoming, "metadata.resourceVersion");
    String currentRv = Json.text(current, "metadata.resourceVersion");
    if (rv != null && !rv.isEmpty() && !rv.equals(currentRv)) {
      return new Refused(StoreError.conflict(type, key.name()));
    }
    String uid = Json.text(incoming, "metadata.uid");
    String currentUid = Json.text(current, "metadata.uid");
    if (uid != null && !uid.isEmpty() && !uid.equals(currentUid)) {
      return new Refused(StoreError.conflict(type, key.name(),
          "Precondition failed: UID in precondition: " + uid + ", UID in object meta: " + currentUid));
    }
    ObjectNode next;
    if ("status".equals(subresource)) {
      next = current.deepCopy();
      copyField(incoming, next, "status");
    } else {
      next = incoming.deepCopy();
      next.put("apiVersion", type.apiVersion());
      next.put("kind", type.kind());
      if (type.hasStatus()) copyField(current, next, "status");
      ObjectNode meta = Json.metadata(next);
      ObjectNode currentMeta = Json.metadata(current);
      for (String f : SERVER_SET_METADATA) copyField(currentMeta, meta, f);
      meta.put("name", key.name());
      if (type.namespaced()) meta.put("namespace", key.namespace());
      if (tracksGeneration(type) && specChanged(current, next)) {
        meta.put("generation", currentMeta.path("generation").asLong(1) + 1);
      }
      if (currentMeta.has("deletionTimestamp")) {
        Set<String> before = finalizers(current);
        for (String f : finalizers(next)) {
          if (!before.contains(f)) {
            return new Refused(StoreError.invalidField(type, key.name(), "metadata.finalizers",
                "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers [\""
                    + f + "\"]"));
          }
        }
      }
    }
    Json.metadata(next).remove("resourceVersion");
    if (sameIgnoringVersion(current, next)) return new Unchanged(current);
    return new Write(next, beingDeleted(next) && finalizers(next).isEmpty() && !graceRunning(next));
  }

  // ---- patch --------------------------------------------------------------------------------------------------

  public static final String MERGE_PATCH = "application/merge-patch+json";
  public static final String JSON_PATCH = "application/json-patch+json";

  public static Outcome patch(ResourceType type, ObjectKey key, ObjectNode current, String patchType, String patch,
      String subresource) {
    if (current == null) return new Refused(StoreError.notFound(type, key.name()));
    JsonNode patchDoc;
    try {
      patchDoc = Json.MAPPER.readTree(patch);
    } catch (JsonProcessingException e) {
      return new Refused(StoreError.badRequest("error decoding patch: " + e.getOriginalMessage()));
    }
    JsonNode patched;
    try {
      patched = switch (patchType) {
        case MERGE_PATCH -> JsonMergePatch.apply(current, patchDoc);
        case JSON_PATCH -> JsonPatch.apply(current, patchDoc);
        default -> null;
      };
    } catch (PatchException e) {
      return new Refused(new StoreError(422, "Invalid", e.getMessage(), key.name(), type.group(), type.kind(), List.of()));
    }
    if (patched == null) {
      return new Refused(new StoreError(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: "
          + JSON_PATCH + ", " + MERGE_PATCH, null, null, null, List.of()));
    }
    if (!(patched instanceof ObjectNode patchedObject)) {
      return new Refused(StoreError.badRequest("the patch did not produce an object"));
    }
    // A resourceVersion written by the patch is a precondition; an untouched one is the current version.
    return update(type, key, current, patchedObject, subresource);
  }

  // ---- delete -------------------------------------------------------------------------------------------------

  public static Outcome delete(ResourceType type, ObjectKey key, ObjectNode current,
      ObjectEntity.DeleteOptions options, String now) {
    if (current == null) return new Refused(StoreError.notFound(type, key.name()));
    String uid = Json.text(current, "metadata.uid");
    if (options.uid() != null && !options.uid().equals(uid)) {
      return new Refused(StoreError.conflict(type, key.name(),
          "Precondition failed: UID in precondition: " + options.uid() + ", UID in object meta: " + uid));
    }
    String rv = Json.text(current, "metadata.resourceVersion");
    if (options.resourceVersion() != null && !options.resourceVersion().equals(rv)) {
      return new Refused(StoreError.conflict(type, key.name(), "Precondition failed: ResourceVersion in precondition: "
          + options.resourceVersion() + ", ResourceVersion in object meta: " + rv));
    }
    long grace = gracePeriod(type, current, options);
    if (grace > 0) {
      ObjectNode meta = Json.metadata(current);
      if (meta.has("deletionGracePeriodSeconds") && meta.get("deletionGracePeriodSeconds").asLong() <= grace) {
        return new Unchanged(current); // a graceful deletion only ever shortens
      }
      ObjectNode next = current.deepCopy();
      Json.metadata(next).put("deletionTimestamp", Instant.parse(now).plusSeconds(grace).toString());
      Json.metadata(next).put("deletionGracePeriodSeconds", grace);
      return new Write(next, false);
    }
    if (!finalizers(current).isEmpty()) {
      ObjectNode meta = Json.metadata(current);
      if (meta.has("deletionTimestamp") && meta.path("deletionGracePeriodSeconds").asLong(0) == 0) {
        return new Unchanged(current);
      }
      ObjectNode next = current.deepCopy();
      if (!meta.has("deletionTimestamp")) Json.metadata(next).put("deletionTimestamp", now);
      Json.metadata(next).put("deletionGracePeriodSeconds", 0);
      return new Write(next, false);
    }
    return new Write(current.deepCopy(), true);
  }

  /** Pods on a node terminate gracefully; everything else (and unscheduled or finished pods) goes at once. */
  private static long gracePeriod(ResourceType type, ObjectNode current, ObjectEntity.DeleteOptions options) {
    if (!type.graceful()) return 0;
    if (Json.text(current, "spec.nodeName") == null) return 0;
    String phase = Json.text(current, "status.phase");
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) return 0;
    if (options.gracePeriodSeconds() != null) return Math.max(0, options.gracePeriodSeconds());
    JsonNode spec = current.path("spec").path("terminationGracePeriodSeconds");
    return spec.isNumber() ? Math.max(0, spec.asLong()) : 30;
  }

  /** Kinds with a desired state that controllers observe; upstream sets no generation on the others. */
  private static final java.util.Set<String> GENERATION_KINDS = java.util.Set.of("pods", "replicationcontrollers",
      "deployments.apps", "replicasets.apps", "statefulsets.apps", "daemonsets.apps", "jobs.batch", "cronjobs.batch",
      "horizontalpodautoscalers.autoscaling", "poddisruptionbudgets.policy", "ingresses.networking.k8s.io",
      "networkpolicies.networking.k8s.io", "customresourcedefinitions.apiextensions.k8s.io");

  public static boolean tracksGeneration(ResourceType type) {
    return !type.builtin() || GENERATION_KINDS.contains(type.storageName());
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  private static boolean beingDeleted(ObjectNode obj) {
    return Json.metadata(obj).has("deletionTimestamp");
  }

  private static boolean graceRunning(ObjectNode obj) {
    return Json.metadata(obj).path("deletionGracePeriodSeconds").asLong(0) > 0;
  }

  static Set<String> finalizers(ObjectNode obj) {
    Set<String> out = new HashSet<>();
    JsonNode f = obj.path("metadata").path("finalizers");
    if (f instanceof ArrayNode a) a.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The spec is everything but metadata and status; generation counts its changes. Compared without copies. */
  private static boolean specChanged(ObjectNode before, ObjectNode after) {
    return !sameFieldsExcept(before, after, Set.of("metadata", "status", "apiVersion", "kind"));
  }

  private static boolean sameIgnoringVersion(ObjectNode current, ObjectNode next) {
    return sameFieldsExcept(current, next, Set.of("metadata"))
        && sameFieldsExcept(metadataOf(current), metadataOf(next), Set.of("resourceVersion"));
  }

  /** Reads metadata without creating it: the current object is shared and never mutated. */
  private static ObjectNode metadataOf(ObjectNode obj) {
    return obj.get("metadata") instanceof ObjectNode m ? m : Json.object();
  }

  /** Field-by-field equality of two objects, numbers by value, skipping some top-level fields. */
  private static boolean sameFieldsExcept(ObjectNode a, ObjectNode b, Set<String> skipped) {
    int compared = 0;
    for (var it = a.fields(); it.hasNext(); ) {
      var e = it.next();
      if (skipped.contains(e.getKey())) continue;
      if (!Json.same(e.getValue(), b.get(e.getKey()))) return false;
      compared++;
    }
    int inB = 0;
    for (var it = b.fieldNames(); it.hasNext(); ) if (!skipped.contains(it.next())) inB++;
    return compared == inB;
  }

  private static void copyField(ObjectNode from, ObjectNode to, String field) {
    JsonNode v = from.get(field);
    if (v == null) to.remove(field);
    else to.set(field, v.deepCopy());
  }

  /**
   * A random (version 4) UUID from a non-blocking source: UUID.randomUUID() serialises every create on one
   * SecureRandom. Uids need uniqueness, not secrecy.
   */
  static String uid() {
    java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
    long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(hi, lo).toString();
  }

  public static String randomName(String generateName) {
    return generateName + Names.randomSuffix();
  }

}
