package io.kopek.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.entity.ObjectRules;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.patch.JsonMergePatch;
import io.kopek.persistence.patch.JsonPatch;
import io.kopek.persistence.patch.PatchException;
import io.kopek.persistence.resource.ResourceType;
import io.kopek.persistence.selector.LabelSelector;
import io.kopek.persistence.store.ObjectStore;
import io.kopek.persistence.store.StoreError;
import io.kopek.persistence.store.StoreException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code scale} subresource: an {@code autoscaling/v1 Scale} view of spec.replicas, status.replicas and the
 * selector. Writes become a merge patch of spec.replicas on the object, guarded by its resourceVersion.
 */
final class ScaleSubresource {
  private static final int PATCH_ATTEMPTS = 5;

  private ScaleSubresource() {}

  static ObjectNode toScale(ResourceType type, ObjectNode obj) {
    ObjectNode scale = Json.object();
    scale.put("kind", "Scale");
    scale.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = scale.putObject("metadata");
    JsonNode m = obj.path("metadata");
    for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (m.hasNonNull(f)) meta.set(f, m.get(f));
    }
    JsonNode replicas = obj.path("spec").path("replicas");
    scale.putObject("spec").put("replicas", replicas.canConvertToInt() ? replicas.asInt() : 1);
    ObjectNode status = scale.putObject("status");
    status.put("replicas", obj.path("status").path("replicas").asInt(0));
    String selector = selector(type, obj.path("spec").path("selector"));
    if (!selector.isEmpty()) status.put("selector", selector);
    return scale;
  }

  private static String selector(ResourceType type, JsonNode selector) {
    try {
      if (selector.isMissingNode() || selector.isNull()) return "";
      // ReplicationControllers carry a plain label map; the apps kinds a metav1.LabelSelector.
      JsonNode asLabelSelector = selector.has("matchLabels") || selector.has("matchExpressions") ? selector
          : Json.object().set("matchLabels", selector);
      return LabelSelector.fromLabelSelectorJson(asLabelSelector).toString();
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  static CompletionStage<ObjectNode> get(ObjectStore store, ResourceType type, String ns, String name) {
    return store.get(type, ns, name).thenApply(o -> toScale(type, o));
  }

  /** PUT: the body is a Scale; its resourceVersion, when set, is a precondition on the object. */
  static CompletionStage<ObjectNode> update(ObjectStore store, ResourceType type, String ns, String name,
      byte[] body, boolean dryRun) {
    ObjectNode scale = RequestBodies.parseOptions(body);
    String kind = scale.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals("Scale")) {
      throw StoreError.badRequest(kind + " in version \"" + scale.path("apiVersion").asText("") + "\" cannot be "
          + "handled as a Scale: no kind \"" + kind + "\" is registered").exception();
    }
    String bodyName = Json.name(scale);
    if (!name.equals(bodyName)) {
      throw StoreError.badRequest("the name of the object (" + (bodyName == null ? "" : bodyName)
          + ") does not match the name on the URL (" + name + ")").exception();
    }
    int replicas = replicas(type, name, scale);
    String rv = Json.text(scale, "metadata.resourceVersion");
    return write(store, type, ns, name, replicas, rv == null || rv.isEmpty() ? null : rv, dryRun);
  }

  /** PATCH: applied to the current Scale, then written as its new spec.replicas; retried on conflicts. */
  static CompletionStage<ObjectNode> patch(ObjectStore store, ResourceType type, String ns, String name,
      String patchType, String patch, boolean dryRun) {
    JsonNode doc;
    try {
      doc = Json.MAPPER.readTree(patch);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(StoreError.badRequest("error decoding patch: " + e.getOriginalMessage())
          .exception());
    }
    return patchAttempt(store, type, ns, name, patchType, doc, dryRun, PATCH_ATTEMPTS);
  }

  private static CompletionStage<ObjectNode> patchAttempt(ObjectStore store, ResourceType type, String ns,
      String name, String patchType, JsonNode doc, boolean dryRun, int attemptsLeft) {
    return store.get(type, ns, name).thenCompose(current -> {
      ObjectNode scale = toScale(type, current);
      JsonNode patched;
      try {
        patched = patchType.equals(ObjectRules.JSON_PATCH) ? JsonPatch.apply(scale, doc)
            : JsonMergePatch.apply(scale, doc);
      } catch (PatchException e) {
        throw new StoreError(422, "Invalid", e.getMessage(), name, "autoscaling", "Scale", List.of()).exception();
      }
      if (!(patched instanceof ObjectNode p)) throw StoreError.badRequest("the patch did not produce an object").exception();
      int replicas = replicas(type, name, p);
      return write(store, type, ns, name, replicas, Json.text(current, "metadata.resourceVersion"), dryRun);
    }).exceptionallyCompose(e -> {
      Throwable cause = StatusResponses.unwrap(e);
      if (attemptsLeft > 1 && cause instanceof StoreException se && se.error().reason().equals("Conflict")) {
        return patchAttempt(store, type, ns, name, patchType, doc, dryRun, attemptsLeft - 1);
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  private static int replicas(ResourceType type, String name, ObjectNode scale) {
    JsonNode r = scale.path("spec").path("replicas");
    if (r.isMissingNode() || r.isNull()) return 0;
    if (!r.canConvertToInt() || !r.isIntegralNumber()) {
      throw StoreError.badRequest("Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal "
          + r.getNodeType().toString().toLowerCase() + " into Go struct field ScaleSpec.spec.replicas of type int32")
          .exception();
    }
    if (r.asInt() < 0) {
      throw new StoreError(422, "Invalid", "Scale.autoscaling \"" + name + "\" is invalid: spec.replicas: Invalid value: "
          + r.asInt() + ": must be greater than or equal to 0", name, "autoscaling", "Scale",
          List.of(new StoreError.Cause("FieldValueInvalid", "Invalid value: " + r.asInt()
              + ": must be greater than or equal to 0", "spec.replicas"))).exception();
    }
    return r.asInt();
  }

  private static CompletionStage<ObjectNode> write(ObjectStore store, ResourceType type, String ns, String name,
      int replicas, String resourceVersion, boolean dryRun) {
    ObjectNode patch = Json.object();
    if (resourceVersion != null) patch.putObject("metadata").put("resourceVersion", resourceVersion);
    patch.putObject("spec").put("replicas", replicas);
    return store.patch(type, ns, name, ObjectRules.MERGE_PATCH, Json.write(patch), "", dryRun)
        .thenApply(o -> toScale(type, o));
  }
}
