package io.kopek.persistence.resource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The resources kopek serves out of the box, described as upstream Kubernetes describes them in discovery and
 * enforces them in its registry: kind, plural, singular, scope, short names, categories, subresources, the rule
 * for metadata.name, and the extra field labels a fieldSelector may use.
 *
 * <p>Groups come in the order upstream's {@code /apis} lists them (core first), resources alphabetically within
 * a group version, as upstream discovery does. When a resource is served at several versions the preferred one
 * comes first (autoscaling/v2 before autoscaling/v1).
 *
 * <p>Shared storage, as upstream: events.k8s.io/v1 events are the core/v1 events seen through another version
 * (same key prefix {@code /registry/events}), and both autoscaling versions of horizontalpodautoscalers are one
 * resource ({@code horizontalpodautoscalers.autoscaling}).
 */
public final class BuiltinResources {

  /** Every verb a fully served resource supports, in upstream discovery's order. */
  public static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** The review kinds: virtual resources that only answer a POST. */
  public static final List<String> CREATE_ONLY = List.of("create");

  /** Read-only resources computed on request (componentstatuses). */
  public static final List<String> READ_ONLY = List.of("get", "list");

  /** Namespaces: upstream has no deletecollection on them (a namespace is deleted through finalization). */
  public static final List<String> NAMESPACE_VERBS =
      List.of("create", "delete", "get", "list", "patch", "update", "watch");

  private static final Set<String> CREATE_ONLY_RESOURCES = Set.of(
      "selfsubjectaccessreviews.authorization.k8s.io",
      "selfsubjectrulesreviews.authorization.k8s.io",
      "subjectaccessreviews.authorization.k8s.io",
      "localsubjectaccessreviews.authorization.k8s.io",
      "selfsubjectreviews.authentication.k8s.io",
      "tokenreviews.authentication.k8s.io");

  private static final String CORE = "";
  private static final String APPS = "apps";
  private static final String EVENTS = "events.k8s.io";
  private static final String AUTHN = "authentication.k8s.io";
  private static final String AUTHZ = "authorization.k8s.io";
  private static final String AUTOSCALING = "autoscaling";
  private static final String BATCH = "batch";
  private static final String NETWORKING = "networking.k8s.io";
  private static final String POLICY = "policy";
  private static final String RBAC = "rbac.authorization.k8s.io";
  private static final String STORAGE = "storage.k8s.io";
  private static final String APIEXTENSIONS = "apiextensions.k8s.io";
  private static final String SCHEDULING = "scheduling.k8s.io";
  private static final String COORDINATION = "coordination.k8s.io";
  private static final String DISCOVERY = "discovery.k8s.io";

  private static final List<ResourceType> ALL = List.copyOf(define());

  private BuiltinResources() {}

  /** One entry per served group/version/resource, preferred versions first. The list is immutable. */
  public static List<ResourceType> all() {
    return ALL;
  }

  /**
   * The verbs discovery advertises for a resource: {@link #CREATE_ONLY} for the review kinds, {@link #READ_ONLY}
   * for componentstatuses, {@link #NAMESPACE_VERBS} for namespaces, {@link #ALL_VERBS} for everything else
   * (custom resources included).
   */
  public static List<String> verbs(ResourceType t) {
    if (!t.builtin()) return ALL_VERBS;
    String name = t.storageName();
    if (CREATE_ONLY_RESOURCES.contains(name)) return CREATE_ONLY;
    if (name.equals("componentstatuses")) return READ_ONLY;
    if (name.equals("namespaces")) return NAMESPACE_VERBS;
    return ALL_VERBS;
  }

  private static List<ResourceType> define() {
    List<ResourceType> out = new ArrayList<>();

    // ---- core/v1 --------------------------------------------------------------------------------------------
    out.add(r(CORE, "v1", "ComponentStatus", "componentstatuses").cluster().shortNames("cs").build());
    out.add(r(CORE, "v1", "ConfigMap", "configmaps").shortNames("cm").build());
    out.add(r(CORE, "v1", "Endpoints", "endpoints").shortNames("ep").build());
    // core/v1 events skip ObjectMeta name validation upstream (legacy events), so any path segment is a name.
    out.add(r(CORE, "v1", "Event", "events").shortNames("ev").name(NameRule.PATH_SEGMENT)
        .fields("involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
            "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
            "reason", "reportingComponent", "source", "type")
        .build());
    out.add(r(CORE, "v1", "LimitRange", "limitranges").shortNames("limits").build());
    out.add(r(CORE, "v1", "Namespace", "namespaces").cluster().shortNames("ns").sub("status", "finalize")
        .name(NameRule.DNS1123_LABEL).fields("status.phase").build());
    out.add(r(CORE, "v1", "Node", "nodes").cluster().shortNames("no").sub("status", "proxy")
        .fields("spec.unschedulable").build());
    out.add(r(CORE, "v1", "PersistentVolumeClaim", "persistentvolumeclaims").shortNames("pvc").sub("status")
        .build());
    out.add(r(CORE, "v1", "PersistentVolume", "persistentvolumes").cluster().shortNames("pv").sub("status")
        .build());
    out.add(r(CORE, "v1", "Pod", "pods").shortNames("po").categories("all")
        .sub("status", "binding", "eviction", "log", "exec", "attach", "portforward", "proxy")
        .fields("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
            "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName")
        .graceful().build());
    out.add(r(CORE, "v1", "PodTemplate", "podtemplates").build());
    out.add(r(CORE, "v1", "ReplicationController", "replicationcontrollers").shortNames("rc").categories("all")
        .sub("status", "scale").fields("status.replicas").build());
    out.add(r(CORE, "v1", "ResourceQuota", "resourcequotas").shortNames("quota").sub("status").build());
    out.add(r(CORE, "v1", "Secret", "secrets").fields("type").build());
    out.add(r(CORE, "v1", "ServiceAccount", "serviceaccounts").shortNames("sa").sub("token").build());
    out.add(r(CORE, "v1", "Service", "services").shortNames("svc").categories("all").sub("status", "proxy")
        .name(NameRule.DNS1035_LABEL).fields("spec.clusterIP", "spec.type").build());

    // ---- apps/v1 --------------------------------------------------------------------------------------------
    out.add(r(APPS, "v1", "ControllerRevision", "controllerrevisions").build());
    out.add(r(APPS, "v1", "DaemonSet", "daemonsets").shortNames("ds").categories("all").sub("status").build());
    out.add(r(APPS, "v1", "Deployment", "deployments").shortNames("deploy").categories("all")
        .sub("status", "scale").build());
    out.add(r(APPS, "v1", "ReplicaSet", "replicasets").shortNames("rs").categories("all").sub("status", "scale")
        .fields("status.replicas").build());
    out.add(r(APPS, "v1", "StatefulSet", "statefulsets").shortNames("sts").categories("all")
        .sub("status", "scale").build());

    // ---- events.k8s.io/v1: the core events under their new field names ------------------------------------------
    out.add(r(EVENTS, "v1", "Event", "events").shortNames("ev")
        .fields("regarding.kind", "regarding.namespace", "regarding.name", "regarding.uid",
            "regarding.apiVersion", "regarding.resourceVersion", "regarding.fieldPath",
            "reason", "reportingController", "source", "type")
        .build());

    // ---- authentication.k8s.io/v1 ----------------------------------------------------------------------------
    out.add(r(AUTHN, "v1", "SelfSubjectReview", "selfsubjectreviews").cluster().build());
    out.add(r(AUTHN, "v1", "TokenReview", "tokenreviews").cluster().build());

    // ---- authorization.k8s.io/v1 -----------------------------------------------------------------------------
    out.add(r(AUTHZ, "v1", "LocalSubjectAccessReview", "localsubjectaccessreviews").build());
    out.add(r(AUTHZ, "v1", "SelfSubjectAccessReview", "selfsubjectaccessreviews").cluster().build());
    out.add(r(AUTHZ, "v1", "SelfSubjectRulesReview", "selfsubjectrulesreviews").cluster().build());
    out.add(r(AUTHZ, "v1", "SubjectAccessReview", "subjectaccessreviews").cluster().build());

    // ---- autoscaling: v2 is the preferred version, v1 still served ------------------------------------------
    for (String version : List.of("v2", "v1")) {
      out.add(r(AUTOSCALING, version, "HorizontalPodAutoscaler", "horizontalpodautoscalers").shortNames("hpa")
          .categories("all").sub("status").build());
    }

    // ---- batch/v1 -----------------------------------------------------------------------------------------------
    out.add(r(BATCH, "v1", "CronJob", "cronjobs").shortNames("cj").categories("all").sub("status").build());
    out.add(r(BATCH, "v1", "Job", "jobs").categories("all").sub("status").fields("status.successful").build());

    // ---- networking.k8s.io/v1 ------------------------------------------------------------------------------
    out.add(r(NETWORKING, "v1", "IngressClass", "ingressclasses").cluster().build());
    out.add(r(NETWORKING, "v1", "Ingress", "ingresses").shortNames("ing").sub("status").build());
    out.add(r(NETWORKING, "v1", "NetworkPolicy", "networkpolicies").shortNames("netpol").build());

    // ---- policy/v1 ----------------------------------------------------------------------------------------------
    out.add(r(POLICY, "v1", "PodDisruptionBudget", "poddisruptionbudgets").shortNames("pdb").sub("status")
        .build());

    // ---- rbac.authorization.k8s.io/v1: names are any path segment -----------------------------------------------
    out.add(r(RBAC, "v1", "ClusterRoleBinding", "clusterrolebindings").cluster().name(NameRule.PATH_SEGMENT)
        .build());
    out.add(r(RBAC, "v1", "ClusterRole", "clusterroles").cluster().name(NameRule.PATH_SEGMENT).build());
    out.add(r(RBAC, "v1", "RoleBinding", "rolebindings").name(NameRule.PATH_SEGMENT).build());
    out.add(r(RBAC, "v1", "Role", "roles").name(NameRule.PATH_SEGMENT).build());

    // ---- storage.k8s.io/v1 ----------------------------------------------------------------------------------
    out.add(r(STORAGE, "v1", "StorageClass", "storageclasses").cluster().shortNames("sc").build());

    // ---- apiextensions.k8s.io/v1 ----------------------------------------------------------------------------
    out.add(r(APIEXTENSIONS, "v1", "CustomResourceDefinition", "customresourcedefinitions").cluster()
        .shortNames("crd", "crds").categories("api-extensions").sub("status").build());

    // ---- scheduling.k8s.io/v1 -------------------------------------------------------------------------------
    out.add(r(SCHEDULING, "v1", "PriorityClass", "priorityclasses").cluster().shortNames("pc").build());

    // ---- coordination.k8s.io/v1 -----------------------------------------------------------------------------
    out.add(r(COORDINATION, "v1", "Lease", "leases").build());

    // ---- discovery.k8s.io/v1 --------------------------------------------------------------------------------
    out.add(r(DISCOVERY, "v1", "EndpointSlice", "endpointslices").build());

    return out;
  }

  private static Builder r(String group, String version, String kind, String plural) {
    return new Builder(group, version, kind, plural);
  }

  /** Defaults: namespaced, DNS-1123 subdomain names, no short names, categories, subresources or field labels. */
  private static final class Builder {
    private final String group;
    private final String version;
    private final String kind;
    private final String plural;
    private boolean namespaced = true;
    private List<String> shortNames = List.of();
    private List<String> categories = List.of();
    private Set<String> subresources = Set.of();
    private NameRule nameRule = NameRule.DNS1123_SUBDOMAIN;
    private Set<String> fieldSelectors = Set.of();
    private boolean graceful;

    private Builder(String group, String version, String kind, String plural) {
      this.group = group;
      this.version = version;
      this.kind = kind;
      this.plural = plural;
    }

    Builder cluster() {
      namespaced = false;
      return this;
    }

    Builder shortNames(String... names) {
      shortNames = List.of(names);
      return this;
    }

    Builder categories(String... names) {
      categories = List.of(names);
      return this;
    }

    Builder sub(String... names) {
      subresources = ordered(names);
      return this;
    }

    Builder name(NameRule rule) {
      nameRule = rule;
      return this;
    }

    Builder fields(String... labels) {
      fieldSelectors = ordered(labels);
      return this;
    }

    Builder graceful() {
      graceful = true;
      return this;
    }

    ResourceType build() {
      // Upstream's singular name for a built-in resource is its kind in lower case ("endpoints" for Endpoints).
      return new ResourceType(group, version, kind, plural, kind.toLowerCase(Locale.ROOT), namespaced, shortNames,
          categories, subresources, nameRule, fieldSelectors, graceful, true);
    }

    /** Immutable, with a stable iteration order (Set.of's order changes from one JVM run to the next). */
    private static Set<String> ordered(String... names) {
      return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(names)));
    }
  }
}
