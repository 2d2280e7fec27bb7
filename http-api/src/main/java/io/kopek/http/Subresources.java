package io.kopek.http;

import io.kopek.persistence.resource.ResourceType;
import java.util.List;

/** How upstream describes each subresource in discovery: the kind it answers with and the verbs it serves. */
final class Subresources {
  private Subresources() {}

  /** @param group the response kind's group, the parent's when null; version likewise */
  record Info(String group, String version, String kind, List<String> verbs) {
    String groupOr(ResourceType parent) {
      return group != null ? group : parent.group();
    }

    String versionOr(ResourceType parent) {
      return version != null ? version : parent.version();
    }

    /** True when the response kind is in another group version than the parent (discovery then names it). */
    boolean foreign() {
      return group != null;
    }
  }

  private static final List<String> GET_PATCH_UPDATE = List.of("get", "patch", "update");
  private static final List<String> CREATE_GET = List.of("create", "get");
  private static final List<String> CREATE = List.of("create");

  static Info of(ResourceType parent, String subresource) {
    String kind = parent.kind();
    return switch (subresource) {
      case "status", "ephemeralcontainers", "resize" -> new Info(null, null, kind, GET_PATCH_UPDATE);
      case "scale" -> new Info("autoscaling", "v1", "Scale", GET_PATCH_UPDATE);
      case "finalize" -> new Info(null, null, kind, List.of("update"));
      case "proxy" -> new Info(null, null, kind + "ProxyOptions", List.of("create", "delete", "get", "patch", "update"));
      case "log" -> new Info(null, null, kind, List.of("get"));
      case "exec" -> new Info(null, null, "PodExecOptions", CREATE_GET);
      case "attach" -> new Info(null, null, "PodAttachOptions", CREATE_GET);
      case "portforward" -> new Info(null, null, "PodPortForwardOptions", CREATE_GET);
      case "eviction" -> new Info("policy", "v1", "Eviction", CREATE);
      case "binding" -> new Info(null, null, "Binding", CREATE);
      case "token" -> new Info("authentication.k8s.io", "v1", "TokenRequest", CREATE);
      default -> new Info(null, null, kind, List.of("get"));
    };
  }
}
