package io.kopek.persistence.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.resource.ResourceRegistry;
import io.kopek.persistence.resource.ResourceType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/** Test helpers: real cluster members with the store, and objects as users write them. */
public final class TestStore {
  public static final ResourceRegistry REGISTRY = ResourceRegistry.builtin();
  public static final ResourceType PODS = REGISTRY.byPath("", "v1", "pods").orElseThrow();
  public static final ResourceType CONFIGMAPS = REGISTRY.byPath("", "v1", "configmaps").orElseThrow();
  public static final ResourceType NAMESPACES = REGISTRY.byPath("", "v1", "namespaces").orElseThrow();
  public static final ResourceType DEPLOYMENTS = REGISTRY.byPath("apps", "v1", "deployments").orElseThrow();
  public static final ResourceType SERVICES = REGISTRY.byPath("", "v1", "services").orElseThrow();

  private TestStore() {}

  /** A member's configuration on a free port; extra settings (e.g. a small watch window) win. */
  public static Config memberConfig(String store, Path dataDir, int port, List<String> seeds, String extra) {
    return StoreNode.config(store, dataDir, "127.0.0.1", port, seeds, Set.of(ObjectStore.CONTROL_PLANE_ROLE),
        ConfigFactory.parseString(extra));
  }

  public static ObjectStore open(ActorTestKit kit, String store, boolean formsOwnCluster) {
    ObjectStore s = StoreNode.open(kit.system(), store, formsOwnCluster, REGISTRY);
    awaitUp(kit.system());
    return s;
  }

  public static void awaitUp(ActorSystem<?> system) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (Cluster.get(system).selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline) throw new AssertionError("member did not come up");
      sleep(20);
    }
  }

  public static ObjectNode configMap(String name, String key, String value) {
    ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
    cm.putObject("metadata").put("name", name);
    cm.putObject("data").put(key, value);
    return cm;
  }

  public static ObjectNode pod(String name, String image) {
    ObjectNode pod = Json.object().put("apiVersion", "v1").put("kind", "Pod");
    pod.putObject("metadata").put("name", name);
    pod.putObject("spec").putArray("containers").addObject().put("name", "main").put("image", image);
    return pod;
  }

  public static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The StoreError a stage failed with; fails the test if it succeeded. */
  public static StoreError failure(CompletionStage<?> stage) {
    try {
      Object value = await(stage);
      throw new AssertionError("expected a failure, got " + value);
    } catch (StoreException e) {
      return e.error();
    }
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
