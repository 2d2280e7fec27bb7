package io.kopek.persistence.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ResourceRegistryTest {

  private final ResourceRegistry registry = ResourceRegistry.builtin();

  private static ResourceType widget(String version) {
    return new ResourceType("example.com", version, "Widget", "widgets", "widget", true, List.of("wd"),
        List.of("all"), Set.of("status"), NameRule.DNS1123_SUBDOMAIN, Set.of(), false, false);
  }

  private static List<String> names(List<ResourceType> types) {
    return types.stream().map(t -> t.apiVersion() + "/" + t.plural()).collect(Collectors.toList());
  }

  @Test
  void byPath() {
    assertEquals("Pod", registry.byPath("", "v1", "pods").orElseThrow().kind());
    assertEquals("Deployment", registry.byPath("apps", "v1", "deployments").orElseThrow().kind());
    assertEquals("v1", registry.byPath("autoscaling", "v1", "horizontalpodautoscalers").orElseThrow().version());
    assertEquals("v2", registry.byPath("autoscaling", "v2", "horizontalpodautoscalers").orElseThrow().version());
    assertTrue(registry.byPath("", "v1", "deployments").isEmpty());
    assertTrue(registry.byPath("apps", "v1beta1", "deployments").isEmpty());
    assertTrue(registry.byPath("", "v1", "pod").isEmpty(), "the path takes the plural only");
    assertTrue(registry.byPath(null, "v1", "pods").isEmpty());
  }

  @Test
  void byStorageNameReturnsThePreferredVersion() {
    assertEquals("", registry.byStorageName("pods").orElseThrow().group());
    assertEquals("apps", registry.byStorageName("deployments.apps").orElseThrow().group());
    assertEquals("v2", registry.byStorageName("horizontalpodautoscalers.autoscaling").orElseThrow().version());
    assertEquals("events.k8s.io", registry.byStorageName("events.events.k8s.io").orElseThrow().group());
    assertEquals("", registry.byStorageName("events").orElseThrow().group());
    assertTrue(registry.byStorageName("deployments").isEmpty());
    assertTrue(registry.byStorageName(null).isEmpty());
  }

  @Test
  void byKind() {
    assertEquals("pods", registry.byKind("", "v1", "Pod").orElseThrow().plural());
    assertEquals("endpoints", registry.byKind("", "v1", "Endpoints").orElseThrow().plural());
    assertEquals("events", registry.byKind("events.k8s.io", "v1", "Event").orElseThrow().plural());
    assertEquals("rbac.authorization.k8s.io",
        registry.byKind("rbac.authorization.k8s.io", "v1", "ClusterRole").orElseThrow().group());
    assertTrue(registry.byKind("", "v1", "pod").isEmpty(), "kinds are case-sensitive on the wire");
    assertTrue(registry.byKind("", "v1", "Deployment").isEmpty());
  }

  @Test
  void groupVersionsInRegistrationOrder() {
    List<String> gvs = registry.groupVersions();
    assertEquals("v1", gvs.get(0));
    assertEquals(Set.copyOf(gvs).size(), gvs.size(), "no duplicates");
    assertTrue(gvs.containsAll(List.of("apps/v1", "batch/v1", "networking.k8s.io/v1", "storage.k8s.io/v1",
        "rbac.authorization.k8s.io/v1", "coordination.k8s.io/v1", "discovery.k8s.io/v1", "events.k8s.io/v1",
        "authorization.k8s.io/v1", "authentication.k8s.io/v1", "autoscaling/v1", "autoscaling/v2",
        "apiextensions.k8s.io/v1", "scheduling.k8s.io/v1", "policy/v1")));
    assertEquals(16, gvs.size());
    assertTrue(gvs.indexOf("autoscaling/v2") < gvs.indexOf("autoscaling/v1"));
    assertEquals(1, gvs.indexOf("apps/v1"));
  }

  @Test
  void preferredVersion() {
    assertEquals(Optional.of("v1"), registry.preferredVersion(""));
    assertEquals(Optional.of("v1"), registry.preferredVersion("apps"));
    assertEquals(Optional.of("v2"), registry.preferredVersion("autoscaling"));
    assertTrue(registry.preferredVersion("example.com").isEmpty());
  }

  @Test
  void forGroupVersion() {
    assertEquals(List.of("controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets"),
        registry.forGroupVersion("apps", "v1").stream().map(ResourceType::plural).collect(Collectors.toList()));
    assertEquals(16, registry.forGroupVersion("", "v1").size());
    assertEquals(1, registry.forGroupVersion("autoscaling", "v1").size());
    assertEquals(4, registry.forGroupVersion("rbac.authorization.k8s.io", "v1").size());
    assertTrue(registry.forGroupVersion("apps", "v2").isEmpty());
    assertEquals(registry.all().size(), registry.groupVersions().stream()
        .mapToInt(gv -> {
          int slash = gv.indexOf('/');
          return slash < 0 ? registry.forGroupVersion("", gv).size()
              : registry.forGroupVersion(gv.substring(0, slash), gv.substring(slash + 1)).size();
        }).sum());
  }

  @Test
  void resolveShortNamesSingularsPluralsAndKinds() {
    assertEquals(List.of("v1/pods"), names(registry.resolve("po")));
    assertEquals(List.of("v1/pods"), names(registry.resolve("pod")));
    assertEquals(List.of("v1/pods"), names(registry.resolve("pods")));
    assertEquals(List.of("v1/pods"), names(registry.resolve("Pod")));
    assertEquals(List.of("v1/pods"), names(registry.resolve("PODS")));
    assertEquals(List.of("apps/v1/deployments"), names(registry.resolve("deploy")));
    assertEquals(List.of("apps/v1/deployments"), names(registry.resolve("Deployment")));
    assertEquals(List.of("v1/services"), names(registry.resolve("svc")));
    assertEquals(List.of("v1/namespaces"), names(registry.resolve("ns")));
    assertEquals(List.of("apiextensions.k8s.io/v1/customresourcedefinitions"), names(registry.resolve("crds")));
    assertEquals(List.of("v1/endpoints"), names(registry.resolve("endpoints")));
    assertEquals(List.of("networking.k8s.io/v1/ingresses"), names(registry.resolve("ingress")));
    assertTrue(registry.resolve("nope").isEmpty());
    assertTrue(registry.resolve("").isEmpty());
    assertTrue(registry.resolve(null).isEmpty());
  }

  @Test
  void resolvePutsWhatKubectlWouldPickFirst() {
    assertEquals(List.of("v1/events", "events.k8s.io/v1/events"), names(registry.resolve("ev")));
    assertEquals(List.of("autoscaling/v2/horizontalpodautoscalers", "autoscaling/v1/horizontalpodautoscalers"),
        names(registry.resolve("hpa")));
  }

  @Test
  void resolveQualifiedNames() {
    assertEquals(List.of("apps/v1/deployments"), names(registry.resolve("deployments.apps")));
    assertEquals(List.of("apps/v1/deployments"), names(registry.resolve("deploy.apps")));
    assertEquals(List.of("apps/v1/deployments"), names(registry.resolve("deployments.v1.apps")));
    assertEquals(List.of("events.k8s.io/v1/events"), names(registry.resolve("events.events.k8s.io")));
    assertEquals(List.of("autoscaling/v1/horizontalpodautoscalers"), names(registry.resolve("hpa.v1.autoscaling")));
    assertEquals(List.of("rbac.authorization.k8s.io/v1/clusterroles"),
        names(registry.resolve("clusterroles.rbac.authorization.k8s.io")));
    assertTrue(registry.resolve("deployments.batch").isEmpty());
    assertTrue(registry.resolve("deployments.v2.apps").isEmpty());
  }

  @Test
  void registerAndUnregisterCustomResources() {
    int before = registry.all().size();
    registry.register(widget("v1"));
    registry.register(widget("v1beta1"));
    assertEquals(before + 2, registry.all().size());
    assertEquals("example.com/v1", registry.groupVersions().get(registry.groupVersions().size() - 2));
    assertEquals(Optional.of("v1"), registry.preferredVersion("example.com"));
    assertEquals("v1", registry.byStorageName("widgets.example.com").orElseThrow().version());
    assertEquals("/registry/example.com/widgets", registry.byStorageName("widgets.example.com").orElseThrow()
        .keyPrefix());
    assertEquals(List.of("example.com/v1/widgets", "example.com/v1beta1/widgets"), names(registry.resolve("wd")));
    assertEquals(List.of("example.com/v1/widgets", "example.com/v1beta1/widgets"),
        names(registry.resolve("widgets.example.com")));
    assertEquals(List.of("example.com/v1beta1/widgets"), names(registry.resolve("widget.v1beta1.example.com")));
    assertEquals("widgets", registry.byKind("example.com", "v1beta1", "Widget").orElseThrow().plural());

    List<ResourceType> removed = registry.unregister("example.com", "widgets");
    assertEquals(2, removed.size());
    assertEquals(before, registry.all().size());
    assertTrue(registry.byStorageName("widgets.example.com").isEmpty());
    assertFalse(registry.groupVersions().contains("example.com/v1"));
    assertTrue(registry.preferredVersion("example.com").isEmpty());
    assertTrue(registry.unregister("example.com", "widgets").isEmpty());
  }

  @Test
  void registerReplacesACustomResourceInPlace() {
    registry.register(widget("v1"));
    registry.register(widget("v2"));
    ResourceType changed = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", false,
        List.of(), List.of(), Set.of(), NameRule.DNS1123_SUBDOMAIN, Set.of(), false, false);
    registry.register(changed);
    assertSame(changed, registry.byPath("example.com", "v1", "widgets").orElseThrow());
    assertEquals(Optional.of("v1"), registry.preferredVersion("example.com"), "position kept");
  }

  @Test
  void replaceSwapsVersionsAtomically() {
    registry.register(widget("v1beta1"));
    registry.register(widget("v1"));
    List<ResourceType> old = registry.replace("example.com", "widgets", List.of(widget("v2"), widget("v1")));
    assertEquals(List.of("v1beta1", "v1"), old.stream().map(ResourceType::version).collect(Collectors.toList()));
    assertEquals(Optional.of("v2"), registry.preferredVersion("example.com"));
    assertTrue(registry.byPath("example.com", "v1beta1", "widgets").isEmpty());
    assertThrows(IllegalArgumentException.class,
        () -> registry.replace("example.com", "widgets", List.of(widget("v1"), widget("v1"))));
    assertThrows(IllegalArgumentException.class,
        () -> registry.replace("example.com", "gadgets", List.of(widget("v1"))));
  }

  @Test
  void builtinsAreProtected() {
    ResourceType fakePods = new ResourceType("", "v1", "Pod", "pods", "pod", true, List.of(), List.of(),
        Set.of(), NameRule.DNS1123_SUBDOMAIN, Set.of(), false, false);
    assertThrows(IllegalArgumentException.class, () -> registry.register(fakePods));
    assertThrows(IllegalArgumentException.class, () -> registry.unregister("", "pods"));
    assertThrows(IllegalArgumentException.class, () -> registry.unregister("apps", "deployments"));
    assertTrue(registry.byPath("", "v1", "pods").orElseThrow().builtin());
  }

  @Test
  void aKindIsServedByOnePluralPerGroupVersion() {
    registry.register(widget("v1"));
    ResourceType other = new ResourceType("example.com", "v1", "Widget", "gizmos", "gizmo", true, List.of(),
        List.of(), Set.of(), NameRule.DNS1123_SUBDOMAIN, Set.of(), false, false);
    assertThrows(IllegalArgumentException.class, () -> registry.register(other));
  }

  @Test
  void constructorRejectsDuplicatesAndBadTypes() {
    assertThrows(IllegalArgumentException.class, () -> new ResourceRegistry(List.of(widget("v1"), widget("v1"))));
    ResourceType noVersion = new ResourceType("example.com", "", "Widget", "widgets", "widget", true, List.of(),
        List.of(), Set.of(), NameRule.DNS1123_SUBDOMAIN, Set.of(), false, false);
    assertThrows(IllegalArgumentException.class, () -> new ResourceRegistry(List.of(noVersion)));
    ResourceRegistry empty = new ResourceRegistry(List.of());
    assertTrue(empty.all().isEmpty());
    assertTrue(empty.groupVersions().isEmpty());
  }

  @Test
  void viewsAreImmutableSnapshots() {
    List<ResourceType> all = registry.all();
    assertThrows(UnsupportedOperationException.class, () -> all.add(widget("v1")));
    assertThrows(UnsupportedOperationException.class, () -> registry.groupVersions().add("x/v1"));
    assertThrows(UnsupportedOperationException.class,
        () -> registry.forGroupVersion("", "v1").remove(0));
    registry.register(widget("v1"));
    assertFalse(all.contains(widget("v1")), "a list handed out earlier does not change");
    assertTrue(registry.all().contains(widget("v1")));
  }

  @Test
  void readersSeeConsistentStateWhileCustomResourcesComeAndGo() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(3);
    List<Future<?>> readers = new ArrayList<>();
    try {
      for (int r = 0; r < 3; r++) {
        readers.add(pool.submit(() -> {
          started.countDown();
          while (!stop.get()) {
            // builtins never flicker
            assertTrue(registry.byPath("", "v1", "pods").isPresent());
            assertEquals("v2", registry.byStorageName("horizontalpodautoscalers.autoscaling").orElseThrow()
                .version());
            // a custom resource is either fully there or fully gone
            Optional<ResourceType> w = registry.byStorageName("widgets.example.com");
            w.ifPresent(t -> assertTrue(t.version().startsWith("v")));
            List<ResourceType> all = registry.all();
            assertNull(all.stream().filter(t -> t == null).findAny().orElse(null));
          }
          return null;
        }));
      }
      assertTrue(started.await(10, TimeUnit.SECONDS));
      for (int i = 0; i < 2_000; i++) {
        registry.register(widget("v1"));
        registry.replace("example.com", "widgets", List.of(widget("v2"), widget("v1")));
        // replace is atomic: the resource never goes missing between the old and new versions
        assertTrue(registry.byStorageName("widgets.example.com").isPresent());
        registry.unregister("example.com", "widgets");
      }
    } finally {
      stop.set(true);
      for (Future<?> f : readers) f.get(30, TimeUnit.SECONDS);
      pool.shutdownNow();
    }
    assertTrue(registry.byStorageName("widgets.example.com").isEmpty());
  }
}
