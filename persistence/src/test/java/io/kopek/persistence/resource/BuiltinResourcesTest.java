package io.kopek.persistence.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kopek.persistence.entity.ObjectKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BuiltinResourcesTest {

  private static final List<ResourceType> ALL = BuiltinResources.all();

  private static ResourceType get(String group, String version, String plural) {
    return ALL.stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
        .findFirst()
        .orElseThrow(() -> new AssertionError("not served: " + group + "/" + version + "/" + plural));
  }

  private static ResourceType core(String plural) {
    return get("", "v1", plural);
  }

  @Test
  void servesExactlyTheListedResources() {
    Set<String> expected = new TreeSet<>(List.of(
        "v1/namespaces", "v1/pods", "v1/services", "v1/endpoints", "v1/nodes", "v1/configmaps", "v1/secrets",
        "v1/events", "v1/serviceaccounts", "v1/componentstatuses", "v1/persistentvolumes",
        "v1/persistentvolumeclaims", "v1/limitranges", "v1/resourcequotas", "v1/replicationcontrollers",
        "v1/podtemplates",
        "apps/v1/deployments", "apps/v1/replicasets", "apps/v1/daemonsets", "apps/v1/statefulsets",
        "apps/v1/controllerrevisions",
        "batch/v1/jobs", "batch/v1/cronjobs",
        "networking.k8s.io/v1/ingresses", "networking.k8s.io/v1/ingressclasses",
        "networking.k8s.io/v1/networkpolicies",
        "storage.k8s.io/v1/storageclasses",
        "rbac.authorization.k8s.io/v1/roles", "rbac.authorization.k8s.io/v1/rolebindings",
        "rbac.authorization.k8s.io/v1/clusterroles", "rbac.authorization.k8s.io/v1/clusterrolebindings",
        "coordination.k8s.io/v1/leases",
        "discovery.k8s.io/v1/endpointslices",
        "events.k8s.io/v1/events",
        "authorization.k8s.io/v1/selfsubjectaccessreviews", "authorization.k8s.io/v1/selfsubjectrulesreviews",
        "authorization.k8s.io/v1/subjectaccessreviews", "authorization.k8s.io/v1/localsubjectaccessreviews",
        "authentication.k8s.io/v1/selfsubjectreviews", "authentication.k8s.io/v1/tokenreviews",
        "autoscaling/v1/horizontalpodautoscalers", "autoscaling/v2/horizontalpodautoscalers",
        "apiextensions.k8s.io/v1/customresourcedefinitions",
        "scheduling.k8s.io/v1/priorityclasses",
        "policy/v1/poddisruptionbudgets"));
    Set<String> actual = ALL.stream().map(t -> t.apiVersion() + "/" + t.plural())
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(expected, actual);
  }

  @Test
  void everyGroupVersionResourceIsUnique() {
    Set<String> seen = new HashSet<>();
    for (ResourceType t : ALL) {
      assertTrue(seen.add(t.group() + "|" + t.version() + "|" + t.plural()), "duplicate " + t);
    }
  }

  @Test
  void everyGroupVersionKindIsUnique() {
    Set<String> seen = new HashSet<>();
    for (ResourceType t : ALL) {
      assertTrue(seen.add(t.group() + "|" + t.version() + "|" + t.kind()), "duplicate kind " + t);
    }
  }

  @Test
  void coreGroupComesFirst() {
    assertEquals("", ALL.get(0).group());
    assertEquals("v1", ALL.get(0).apiVersion());
  }

  @Test
  void shortNamesKubectlUsersType() {
    Map<String, String> expected = new HashMap<>();
    expected.put("po", "pods");
    expected.put("svc", "services");
    expected.put("ns", "namespaces");
    expected.put("no", "nodes");
    expected.put("cm", "configmaps");
    expected.put("ev", "events");
    expected.put("ep", "endpoints");
    expected.put("sa", "serviceaccounts");
    expected.put("pv", "persistentvolumes");
    expected.put("pvc", "persistentvolumeclaims");
    expected.put("limits", "limitranges");
    expected.put("quota", "resourcequotas");
    expected.put("rc", "replicationcontrollers");
    expected.put("cs", "componentstatuses");
    expected.put("deploy", "deployments");
    expected.put("rs", "replicasets");
    expected.put("ds", "daemonsets");
    expected.put("sts", "statefulsets");
    expected.put("cj", "cronjobs");
    expected.put("ing", "ingresses");
    expected.put("netpol", "networkpolicies");
    expected.put("sc", "storageclasses");
    expected.put("hpa", "horizontalpodautoscalers");
    expected.put("crd", "customresourcedefinitions");
    expected.put("crds", "customresourcedefinitions");
    expected.put("pc", "priorityclasses");
    expected.put("pdb", "poddisruptionbudgets");
    expected.forEach((shortName, plural) -> {
      Set<String> plurals = ALL.stream().filter(t -> t.shortNames().contains(shortName))
          .map(ResourceType::plural).collect(Collectors.toSet());
      assertEquals(Set.of(plural), plurals, "short name " + shortName);
    });
    // resources upstream gives no short name
    for (String plural : List.of("secrets", "podtemplates")) assertEquals(List.of(), core(plural).shortNames());
    assertEquals(List.of(), get("batch", "v1", "jobs").shortNames());
    assertEquals(List.of(), get("coordination.k8s.io", "v1", "leases").shortNames());
    assertEquals(List.of(), get("discovery.k8s.io", "v1", "endpointslices").shortNames());
    assertEquals(List.of(), get("rbac.authorization.k8s.io", "v1", "roles").shortNames());
  }

  @Test
  void shortNamesAreUniqueAcrossResources() {
    Map<String, String> owner = new HashMap<>();
    for (ResourceType t : ALL) {
      for (String s : t.shortNames()) {
        String previous = owner.putIfAbsent(s, t.plural());
        assertTrue(previous == null || previous.equals(t.plural()), s + " names " + previous + " and " + t.plural());
      }
    }
  }

  @Test
  void deploymentsLiveInAppsV1() {
    ResourceType d = get("apps", "v1", "deployments");
    assertEquals("Deployment", d.kind());
    assertEquals("deployment", d.singular());
    assertEquals("apps/v1", d.apiVersion());
    assertEquals("deployments.apps", d.storageName());
    assertEquals("/registry/deployments", d.keyPrefix());
    assertEquals(List.of("deploy"), d.shortNames());
    assertEquals(Set.of("status", "scale"), d.subresources());
    assertTrue(d.namespaced());
  }

  @Test
  void scopes() {
    for (String plural : List.of("namespaces", "nodes", "persistentvolumes", "componentstatuses")) {
      assertFalse(core(plural).namespaced(), plural);
    }
    for (String plural : List.of("pods", "services", "endpoints", "configmaps", "secrets", "events",
        "serviceaccounts", "persistentvolumeclaims", "limitranges", "resourcequotas", "replicationcontrollers",
        "podtemplates")) {
      assertTrue(core(plural).namespaced(), plural);
    }
    assertFalse(get("rbac.authorization.k8s.io", "v1", "clusterroles").namespaced());
    assertFalse(get("rbac.authorization.k8s.io", "v1", "clusterrolebindings").namespaced());
    assertTrue(get("rbac.authorization.k8s.io", "v1", "roles").namespaced());
    assertTrue(get("rbac.authorization.k8s.io", "v1", "rolebindings").namespaced());
    assertFalse(get("storage.k8s.io", "v1", "storageclasses").namespaced());
    assertFalse(get("networking.k8s.io", "v1", "ingressclasses").namespaced());
    assertTrue(get("networking.k8s.io", "v1", "ingresses").namespaced());
    assertFalse(get("apiextensions.k8s.io", "v1", "customresourcedefinitions").namespaced());
    assertFalse(get("scheduling.k8s.io", "v1", "priorityclasses").namespaced());
    assertTrue(get("authorization.k8s.io", "v1", "localsubjectaccessreviews").namespaced());
    assertFalse(get("authorization.k8s.io", "v1", "subjectaccessreviews").namespaced());
    assertFalse(get("authentication.k8s.io", "v1", "tokenreviews").namespaced());
  }

  @Test
  void subresources() {
    assertTrue(core("pods").hasStatus());
    assertEquals(Set.of("status", "binding", "eviction", "log", "exec", "attach", "portforward", "proxy"),
        core("pods").subresources());
    assertEquals(Set.of("status", "proxy"), core("services").subresources());
    assertEquals(Set.of("status", "proxy"), core("nodes").subresources());
    assertEquals(Set.of("status", "finalize"), core("namespaces").subresources());
    assertEquals(Set.of("token"), core("serviceaccounts").subresources());
    assertEquals(Set.of("status", "scale"), core("replicationcontrollers").subresources());
    assertEquals(Set.of("status", "scale"), get("apps", "v1", "replicasets").subresources());
    assertEquals(Set.of("status", "scale"), get("apps", "v1", "statefulsets").subresources());
    assertEquals(Set.of("status"), get("apps", "v1", "daemonsets").subresources());
    assertTrue(get("batch", "v1", "jobs").hasStatus());
    assertTrue(get("batch", "v1", "cronjobs").hasStatus());
    assertTrue(get("autoscaling", "v2", "horizontalpodautoscalers").hasStatus());
    assertTrue(get("policy", "v1", "poddisruptionbudgets").hasStatus());
    assertTrue(get("apiextensions.k8s.io", "v1", "customresourcedefinitions").hasStatus());
    assertTrue(get("networking.k8s.io", "v1", "ingresses").hasStatus());
    for (String plural : List.of("configmaps", "secrets", "endpoints", "events", "limitranges", "podtemplates",
        "componentstatuses")) {
      assertEquals(Set.of(), core(plural).subresources(), plural);
    }
    assertEquals(Set.of(), get("rbac.authorization.k8s.io", "v1", "roles").subresources());
    assertEquals(Set.of(), get("coordination.k8s.io", "v1", "leases").subresources());
  }

  @Test
  void nameRules() {
    assertEquals(NameRule.DNS1123_LABEL, core("namespaces").nameRule());
    assertEquals(NameRule.DNS1035_LABEL, core("services").nameRule());
    for (String plural : List.of("roles", "rolebindings", "clusterroles", "clusterrolebindings")) {
      assertEquals(NameRule.PATH_SEGMENT, get("rbac.authorization.k8s.io", "v1", plural).nameRule(), plural);
    }
    for (String plural : List.of("pods", "nodes", "serviceaccounts", "configmaps", "secrets", "endpoints",
        "persistentvolumes", "persistentvolumeclaims")) {
      assertEquals(NameRule.DNS1123_SUBDOMAIN, core(plural).nameRule(), plural);
    }
    assertEquals(NameRule.DNS1123_SUBDOMAIN, get("apps", "v1", "deployments").nameRule());
    // legacy core events skip name validation; events.k8s.io/v1 validates them as subdomains
    assertEquals(NameRule.PATH_SEGMENT, core("events").nameRule());
    assertEquals(NameRule.DNS1123_SUBDOMAIN, get("events.k8s.io", "v1", "events").nameRule());
  }

  @Test
  void categoryAllIsWhatKubectlGetAllShows() {
    Set<String> all = ALL.stream().filter(t -> t.categories().contains("all")).map(ResourceType::storageName)
        .collect(Collectors.toSet());
    assertEquals(Set.of("pods", "services", "replicationcontrollers", "deployments.apps", "replicasets.apps",
        "statefulsets.apps", "daemonsets.apps", "jobs.batch", "cronjobs.batch",
        "horizontalpodautoscalers.autoscaling"), all);
    assertEquals(List.of("api-extensions"),
        get("apiextensions.k8s.io", "v1", "customresourcedefinitions").categories());
  }

  @Test
  void fieldSelectors() {
    assertEquals(Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
        "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
        core("pods").fieldSelectors());
    assertEquals(Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
        "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
        "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"),
        core("events").fieldSelectors());
    assertTrue(get("events.k8s.io", "v1", "events").fieldSelectors()
        .containsAll(Set.of("regarding.kind", "regarding.name", "reportingController", "reason", "type")));
    assertEquals(Set.of("type"), core("secrets").fieldSelectors());
    assertEquals(Set.of("spec.unschedulable"), core("nodes").fieldSelectors());
    assertEquals(Set.of("status.phase"), core("namespaces").fieldSelectors());
    assertEquals(Set.of("status.replicas"), get("apps", "v1", "replicasets").fieldSelectors());
    assertEquals(Set.of("status.replicas"), core("replicationcontrollers").fieldSelectors());
    assertEquals(Set.of("status.successful"), get("batch", "v1", "jobs").fieldSelectors());
    assertEquals(Set.of(), core("configmaps").fieldSelectors());
    for (ResourceType t : ALL) {
      assertFalse(t.fieldSelectors().contains("metadata.name"), t.plural());
      assertFalse(t.fieldSelectors().contains("metadata.namespace"), t.plural());
    }
  }

  @Test
  void onlyPodsDeleteGracefully() {
    for (ResourceType t : ALL) {
      assertEquals(t.group().isEmpty() && t.plural().equals("pods"), t.graceful(), t.storageName());
    }
  }

  @Test
  void everythingIsBuiltinAndWellFormed() {
    for (ResourceType t : ALL) {
      assertTrue(t.builtin(), t.storageName());
      assertEquals(t.kind().toLowerCase(Locale.ROOT), t.singular(), t.storageName());
      assertEquals(t.plural().toLowerCase(Locale.ROOT), t.plural());
      assertTrue(Character.isUpperCase(t.kind().charAt(0)), t.kind());
      assertTrue(t.keyPrefix().startsWith("/registry/"), t.keyPrefix());
    }
    assertEquals("endpoints", core("endpoints").singular());
    assertEquals("ingress", get("networking.k8s.io", "v1", "ingresses").singular());
  }

  @Test
  void keyPrefixesMirrorUpstreamEtcdLayout() {
    assertEquals("/registry/pods", core("pods").keyPrefix());
    assertEquals("/registry/namespaces", core("namespaces").keyPrefix());
    assertEquals("/registry/pods/default/nginx", core("pods").key().of("default", "nginx").persistenceId());
    ObjectKey ns = core("namespaces").key().of("ignored", "kube-system");
    assertEquals("", ns.namespace());
    assertEquals("/registry/namespaces/kube-system", ns.persistenceId());
    // Distinct resources never share a key prefix, except where upstream shares storage: events.k8s.io/v1 events
    // are the core events.
    Map<String, Set<String>> byPrefix = new HashMap<>();
    for (ResourceType t : ALL) {
      byPrefix.computeIfAbsent(t.keyPrefix(), k -> new TreeSet<>()).add(t.storageName());
    }
    byPrefix.forEach((prefix, names) -> {
      if (prefix.equals("/registry/events")) assertEquals(Set.of("events", "events.events.k8s.io"), names);
      else assertEquals(1, names.size(), prefix + " " + names);
    });
  }

  @Test
  void autoscalingPrefersV2() {
    int v2 = ALL.indexOf(get("autoscaling", "v2", "horizontalpodautoscalers"));
    int v1 = ALL.indexOf(get("autoscaling", "v1", "horizontalpodautoscalers"));
    assertTrue(v2 < v1);
    assertEquals(get("autoscaling", "v1", "horizontalpodautoscalers").storageName(),
        get("autoscaling", "v2", "horizontalpodautoscalers").storageName());
  }

  @Test
  void verbs() {
    assertEquals(List.of("create"), BuiltinResources.verbs(get("authorization.k8s.io", "v1",
        "selfsubjectaccessreviews")));
    assertEquals(List.of("create"), BuiltinResources.verbs(get("authorization.k8s.io", "v1",
        "localsubjectaccessreviews")));
    assertEquals(List.of("create"), BuiltinResources.verbs(get("authentication.k8s.io", "v1", "tokenreviews")));
    assertEquals(List.of("create"), BuiltinResources.verbs(get("authentication.k8s.io", "v1",
        "selfsubjectreviews")));
    assertEquals(List.of("get", "list"), BuiltinResources.verbs(core("componentstatuses")));
    assertEquals(List.of("create", "delete", "get", "list", "patch", "update", "watch"),
        BuiltinResources.verbs(core("namespaces")));
    assertEquals(List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
        BuiltinResources.verbs(core("pods")));
    assertEquals(BuiltinResources.ALL_VERBS, BuiltinResources.verbs(get("apps", "v1", "deployments")));
    ResourceType custom = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true, List.of(),
        List.of(), Set.of(), NameRule.DNS1123_SUBDOMAIN, Set.of(), false, false);
    assertEquals(BuiltinResources.ALL_VERBS, BuiltinResources.verbs(custom));
  }

  @Test
  void listAndCollectionsAreImmutable() {
    assertThrows(UnsupportedOperationException.class, () -> ALL.add(core("pods")));
    assertThrows(UnsupportedOperationException.class, () -> core("pods").subresources().add("x"));
    assertThrows(UnsupportedOperationException.class, () -> core("pods").shortNames().add("x"));
    assertThrows(UnsupportedOperationException.class, () -> core("pods").fieldSelectors().clear());
  }

  @Test
  void roundTripsThroughJackson() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    for (ResourceType t : ALL) {
      byte[] bytes = mapper.writeValueAsBytes(t);
      assertEquals(t, mapper.readValue(bytes, ResourceType.class), t.storageName());
    }
  }
}
