package io.kopek.persistence.entity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.resource.ResourceType;

/** What upstream's per-kind strategies set when an object is created (status reset, initial phase). */
final class KindDefaults {
  private KindDefaults() {}

  static void onCreate(ResourceType type, ObjectNode obj) {
    if (!type.hasStatus()) return;
    if (!type.builtin()) {
      obj.remove("status"); // custom resources with a status subresource drop it on create
      return;
    }
    ObjectNode status = obj.putObject("status");
    if (type.group().isEmpty() && type.plural().equals("pods")) {
      status.put("phase", "Pending");
      status.put("qosClass", qosClass(obj.path("spec")));
    } else if (type.group().isEmpty() && type.plural().equals("namespaces")) {
      status.put("phase", "Active");
      ObjectNode spec = obj.with("spec");
      if (!spec.has("finalizers")) spec.putArray("finalizers").add("kubernetes");
    }
  }

  /** Guaranteed when every container's requests equal its cpu and memory limits; BestEffort when none asks. */
  static String qosClass(JsonNode spec) {
    boolean any = false;
    boolean guaranteed = true;
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : spec.path(list)) {
        JsonNode limits = c.path("resources").path("limits");
        JsonNode requests = c.path("resources").path("requests");
        if (limits.size() > 0 || requests.size() > 0) any = true;
        for (String r : new String[] {"cpu", "memory"}) {
          JsonNode limit = limits.get(r);
          JsonNode request = requests.get(r);
          if (limit == null || (request != null && !request.asText().equals(limit.asText()))) guaranteed = false;
        }
      }
    }
    if (!any) return "BestEffort";
    return guaranteed ? "Guaranteed" : "Burstable";
  }
}
