package io.kopek.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.resource.ResourceType;

/**
 * The review kinds (access reviews, rules reviews, self subject reviews, token reviews): virtual resources that
 * answer a POST with the request plus a computed status and store nothing. Until authentication and
 * authorization exist, every caller is the cluster admin and everything is allowed.
 */
final class Reviews {
  static final String USER = "kubernetes-admin";

  private Reviews() {}

  /** True when POSTs to this resource are answered here instead of being stored. */
  static boolean handles(ResourceType t) {
    return switch (t.group()) {
      case "authorization.k8s.io" -> t.kind().endsWith("AccessReview") || t.kind().equals("SelfSubjectRulesReview");
      case "authentication.k8s.io" -> t.kind().equals("SelfSubjectReview") || t.kind().equals("TokenReview");
      default -> false;
    };
  }

  static ObjectNode answer(ResourceType t, ObjectNode request) {
    ObjectNode out = request.deepCopy();
    ObjectNode meta = Json.metadata(out);
    if (!meta.has("creationTimestamp")) meta.putNull("creationTimestamp");
    ObjectNode status = out.putObject("status");
    switch (t.kind()) {
      case "SelfSubjectRulesReview" -> {
        ObjectNode rule = status.putArray("resourceRules").addObject();
        rule.putArray("verbs").add("*");
        rule.putArray("apiGroups").add("*");
        rule.putArray("resources").add("*");
        ObjectNode nonResource = status.putArray("nonResourceRules").addObject();
        nonResource.putArray("verbs").add("*");
        nonResource.putArray("nonResourceURLs").add("*");
        status.put("incomplete", false);
      }
      case "SelfSubjectReview" -> {
        ObjectNode user = status.putObject("userInfo");
        user.put("username", USER);
        user.putArray("groups").add("system:masters").add("system:authenticated");
      }
      case "TokenReview" -> {
        status.put("authenticated", false);
        status.put("error", "token authentication is not configured on this server");
      }
      default -> status.put("allowed", true);
    }
    return out;
  }
}
