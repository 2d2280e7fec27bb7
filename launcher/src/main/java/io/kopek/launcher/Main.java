package io.kopek.launcher;

import com.typesafe.config.ConfigFactory;
import io.kopek.http.ApiServer;
import io.kopek.http.Metrics;
import io.kopek.launcher.cassandra.CassandraNode;
import io.kopek.persistence.resource.ResourceRegistry;
import io.kopek.persistence.store.ObjectStore;
import io.kopek.persistence.store.StoreNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * kopek's one entry point.
 * <pre>
 *   kopek up        [--data-dir DIR] [--api-port PORT] [--nodes N] [--store S]   all-in-one, in the foreground
 *   kopek server    [--data-dir DIR] [--api-port PORT] [--api-host H] [--cluster-host H] [--cluster-port P]
 *                   [--join host:port,...] [--store embedded|cassandra://host:port]
 *   kopek agent     --join host:port,... [--name N] [--cluster-host H] [--cluster-port P]
 *   kopek cassandra start|stop|status [--dir DIR] [--port CQL]
 *   kopek version
 * </pre>
 */
public final class Main {
  static final String VERSION = "v1.33.0-kopek";
  private static final String COMMON_POOL = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private Main() {}

  public static void main(String[] args) {
    // On 2 cores the common pool has parallelism 1, and the JDK then runs async callbacks (Pekko streams, Slick,
    // library code) on a new thread each. Set before anything touches the pool.
    if (System.getProperty(COMMON_POOL) == null) System.setProperty(COMMON_POOL, "4");
    int code;
    try {
      code = run(Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      System.err.println("kopek: " + e.getMessage());
      code = 2;
    } catch (Exception e) {
      System.err.println("kopek: " + e.getMessage());
      e.printStackTrace();
      code = 1;
    }
    if (code != 0) System.exit(code);
  }

  static int run(List<String> args) throws Exception {
    if (args.isEmpty()) return usage();
    List<String> rest = args.subList(1, args.size());
    switch (args.get(0)) {
      case "up":
        return up(new Options(rest, Set.of("data-dir", "api-port", "api-host", "nodes", "store")));
      case "server":
        return server(new Options(rest, Set.of("data-dir", "api-port", "api-host", "cluster-host", "cluster-port",
            "join", "store")));
      case "agent":
        return agent(new Options(rest, Set.of("join", "name", "cluster-host", "cluster-port", "runtime-endpoint")));
      case "cassandra":
        return CassandraNode.run(rest);
      case "version":
        System.out.println("kopek " + VERSION);
        return 0;
      default:
        return usage();
    }
  }

  private static int usage() {
    System.err.println("""
        usage: kopek up [--data-dir DIR] [--api-port PORT] [--nodes N] [--store embedded|cassandra://host:port]
               kopek server [--data-dir DIR] [--api-port PORT] [--cluster-port P] [--join host:port,...] [--store S]
               kopek agent --join host:port,... [--name N]
               kopek cassandra start|stop|status [--dir DIR] [--port CQL]
               kopek version""");
    return 2;
  }

  /** One control-plane member on the embedded store (by default), forming its own cluster. */
  private static int up(Options o) throws Exception {
    int nodes = o.getInt("nodes", 1);
    if (nodes > 0) {
      System.err.println("kopek: the node daemon is not built yet; starting the control plane without nodes");
    }
    return controlPlane(o, 0, List.of(), true);
  }

  private static int server(Options o) throws Exception {
    List<String> seeds = seeds(o.get("join", ""));
    // With seeds, Pekko's seed-node join applies (the first seed forms the cluster); without, it joins itself.
    return controlPlane(o, o.getInt("cluster-port", 2552), seeds, seeds.isEmpty());
  }

  private static int controlPlane(Options o, int clusterPort, List<String> seeds, boolean formsOwnCluster)
      throws Exception {
    Path dataDir = Path.of(o.get("data-dir", System.getProperty("user.home") + "/.kopek"));
    String store = o.get("store", "embedded");
    String apiHost = o.get("api-host", "127.0.0.1");
    int apiPort = o.getInt("api-port", 6443);
    String clusterHost = o.get("cluster-host", "127.0.0.1");
    long started = System.nanoTime();
    var config = StoreNode.config(store, dataDir, clusterHost, clusterPort, seeds,
        Set.of(ObjectStore.CONTROL_PLANE_ROLE), ConfigFactory.empty());
    // Kamon attaches its Pekko instrumentation before the actor system exists (off with -Dkopek.kamon=false).
    if (!"false".equalsIgnoreCase(System.getProperty("kopek.kamon", "true"))) Metrics.initKamon(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "kopek", config);
    ObjectStore objects = StoreNode.open(system, store, formsOwnCluster, ResourceRegistry.builtin());
    ServerBinding binding;
    try {
      binding = ApiServer.start(system, objects, apiHost, apiPort).toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("could not serve the API on " + apiHost + ":" + apiPort + ": " + e.getMessage(), e);
    }
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "api-unbind",
        () -> binding.unbind().thenApply(x -> Done.getInstance()));
    SystemNamespaces.ensure(objects, java.time.Duration.ofMinutes(3));
    Path kubeconfig = Kubeconfig.write(dataDir, "http://" + apiHost + ":" + apiPort);
    System.out.printf("kopek is up: API http://%s:%d, store %s, data %s (%.1f s)%n", apiHost, apiPort, store, dataDir,
        (System.nanoTime() - started) / 1e9);
    System.out.println("export KUBECONFIG=" + kubeconfig.toAbsolutePath());
    System.out.flush();
    system.getWhenTerminated().toCompletableFuture().join();
    return 0;
  }

  /** A node-role member: it joins the cluster and reaches the store through sharding proxies. */
  private static int agent(Options o) throws Exception {
    List<String> seeds = seeds(o.get("join", ""));
    if (seeds.isEmpty()) throw new IllegalArgumentException("agent needs --join host:port of a control-plane member");
    String name = o.get("name", java.net.InetAddress.getLocalHost().getHostName());
    var config = StoreNode.config("memory", Path.of("."), o.get("cluster-host", "127.0.0.1"),
        o.getInt("cluster-port", 0), seeds, Set.of("node"), ConfigFactory.empty());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "kopek", config);
    StoreNode.open(system, "memory", false, ResourceRegistry.builtin());
    System.out.println("kopek agent " + name + " joining " + seeds
        + " (the node daemon that runs pods is not built yet: this member only joins the cluster)");
    Cluster.get(system).registerOnMemberUp(() -> {
      System.out.println("kopek agent " + name + " is up in the cluster as " + Cluster.get(system).selfAddress());
      System.out.flush();
    });
    system.getWhenTerminated().toCompletableFuture().join();
    return 0;
  }

  private static List<String> seeds(String join) {
    Set<String> out = new LinkedHashSet<>();
    for (String s : join.split(",")) if (!s.isBlank()) out.add(s.trim());
    return List.copyOf(out);
  }
}
