package io.kopek.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.entity.ObjectEntity;
import io.kopek.persistence.store.StoreError;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.Query;

/**
 * DeleteOptions from the query (gracePeriodSeconds, propagationPolicy, dryRun) and from an optional JSON body
 * (the same fields plus preconditions{uid,resourceVersion} and the deprecated orphanDependents); the body wins.
 */
final class DeleteOptionsDecoder {
  private DeleteOptionsDecoder() {}

  static ObjectEntity.DeleteOptions decode(Query q, byte[] body) {
    Long grace = QueryParams.optionalNumber(q, "gracePeriodSeconds");
    String policy = q.get("propagationPolicy").filter(s -> !s.isEmpty()).orElse(null);
    List<String> dryRun = new ArrayList<>(q.getAll("dryRun"));
    String uid = null;
    String rv = null;
    if (body.length > 0) {
      ObjectNode o = RequestBodies.parseOptions(body);
      JsonNode g = o.get("gracePeriodSeconds");
      if (g != null && !g.isNull()) {
        if (!g.canConvertToLong() || !g.isIntegralNumber()) throw typeError("gracePeriodSeconds", g, "int64");
        grace = g.asLong();
      }
      JsonNode p = o.get("propagationPolicy");
      if (p != null && !p.isNull()) {
        if (!p.isTextual()) throw typeError("propagationPolicy", p, "v1.DeletionPropagation");
        policy = p.asText();
      }
      JsonNode orphan = o.get("orphanDependents");
      if (orphan != null && orphan.isBoolean() && policy == null) policy = orphan.asBoolean() ? "Orphan" : "Background";
      JsonNode d = o.get("dryRun");
      if (d != null && d.isArray()) {
        dryRun.clear();
        d.forEach(v -> dryRun.add(v.asText()));
      }
      JsonNode pre = o.path("preconditions");
      if (pre.hasNonNull("uid")) uid = pre.get("uid").asText();
      if (pre.hasNonNull("resourceVersion")) rv = pre.get("resourceVersion").asText();
    }
    if (policy != null && !policy.equals("Orphan") && !policy.equals("Background") && !policy.equals("Foreground")) {
      throw StatusResponses.invalidOptions("DeleteOptions", "propagationPolicy", "Unsupported value: \"" + policy
          + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"").exception();
    }
    boolean dry = QueryParams.dryRun(dryRun, "DeleteOptions");
    return new ObjectEntity.DeleteOptions(uid, rv, grace, policy, dry);
  }

  private static RuntimeException typeError(String field, JsonNode value, String goType) {
    String jsonType = value.isTextual() ? "string" : value.isNumber() ? "number" : value.isBoolean() ? "bool"
        : value.isArray() ? "array" : "object";
    return StoreError.badRequest("json: cannot unmarshal " + jsonType + " into Go struct field DeleteOptions."
        + field + " of type " + goType).exception();
  }
}
