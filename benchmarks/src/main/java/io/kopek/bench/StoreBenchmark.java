package io.kopek.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.kopek.http.ApiServer;
import io.kopek.launcher.cassandra.CassandraNode;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.resource.ResourceRegistry;
import io.kopek.persistence.resource.ResourceType;
import io.kopek.persistence.store.ObjectStore;
import io.kopek.persistence.store.StoreNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * The store benchmark: kopek's store in-process (embedded H2 journal, then Cassandra), kopek's store behind its API
 * server, and etcd through its v3 JSON gateway, measured side by side in one run. Run it with
 * {@code bench/store-benchmark [--quick]}, which builds, starts a private etcd and cleans up; this class expects
 * the etcd endpoint and a work directory, and writes the store section of BENCHMARKS.md.
 */
public final class StoreBenchmark {
  static final String EMBEDDED = "kopek embedded";
  static final String HTTP = "kopek HTTP";
  static final String CASSANDRA = "kopek Cassandra";
  static final String ETCD = "etcd";

  /** Objects each writer updates in the update phase (its own, round robin). */
  private static final int OBJECTS_PER_WRITER = 4;
  /** Objects all writers share in the contended update phase. */
  private static final int SHARED_OBJECTS = 8;
  private static final int CONTENDED_WRITERS = 64;

  final Options o;
  final Payloads payloads;
  final Report report;
  private final AtomicInteger runs = new AtomicInteger();

  StoreBenchmark(Options o) {
    this.o = o;
    this.payloads = new Payloads(o.objectBytes);
    this.report = new Report(o, payloads);
  }

  public static void main(String[] args) throws Exception {
    if (System.getProperty("kopek.kamon") == null) System.setProperty("kopek.kamon", "false");
    Options o = Options.parse(args);
    StoreBenchmark b = new StoreBenchmark(o);
    int rc = 0;
    try {
      b.run();
    } catch (Throwable t) {
      t.printStackTrace();
      b.report.note("The run failed: " + t);
      rc = 1;
    }
    b.report.finish();
    if (o.reportFile != null) {
      b.report.writeTo(o.reportFile);
      System.out.println("wrote " + o.reportFile);
    }
    System.out.flush();
    System.exit(rc);
  }

  void run() throws Exception {
    System.out.printf("store benchmark: %s, %d s per measurement (+%d s ramp), writers %s, objects of %d bytes%n",
        o.quick ? "quick" : "full", o.duration.toSeconds(), o.ramp.toSeconds(), Arrays.toString(o.writers),
        payloads.objectBytes);
    HttpTargets.Etcd etcd = o.etcd == null ? null : new HttpTargets.Etcd(HttpTargets.client(), o.etcd);
    if (etcd == null) report.note("etcd was not measured (no --etcd endpoint).");
    if (!o.skip.contains("embedded")) embeddedStage(etcd);
    else if (etcd != null) measureAll(List.of(etcd), "bench");
    if (!o.skip.contains("cassandra")) cassandraStage();
  }

  // ---- stages ---------------------------------------------------------------------------------------------------

  /** The embedded store in-process and over HTTP, and etcd, interleaved per writer count; then watches, profile. */
  private void embeddedStage(HttpTargets.Etcd etcd) throws Exception {
    Path dataDir = Files.createDirectories(o.work.resolve("embedded"));
    try (Member m = Member.start("embedded", dataDir, o.extraConfig)) {
      KopekStoreTarget embedded = new KopekStoreTarget(EMBEDDED, m.store);
      for (String ns : List.of("bench", "bench-http", "watch", "watch-http")) createNamespace(m.store, ns);
      HttpTargets.Kopek http = null;
      ServerBinding binding = null;
      if (!o.skip.contains("http")) {
        try {
          binding = ApiServer.start(m.system, m.store, "127.0.0.1", 0).toCompletableFuture().get(30, TimeUnit.SECONDS);
          http = new HttpTargets.Kopek(HttpTargets.client(), "http://127.0.0.1:" + binding.localAddress().getPort(), HTTP);
        } catch (Exception | LinkageError e) {
          report.note("kopek over HTTP was not measured: the API server did not start (" + e + ").");
        }
      }
      List<Target> targets = new ArrayList<>();
      targets.add(embedded);
      if (http != null) targets.add(http);
      if (etcd != null) targets.add(etcd);
      Map<Target, String> namespaces = new LinkedHashMap<>();
      for (Target t : targets) namespaces.put(t, t == http ? "bench-http" : "bench");
      measureAll(namespaces);

      if (!o.skip.contains("watch")) {
        watch(WatchSides.kopekStore(embedded), "watch");
        if (http != null) watch(WatchSides.kopekHttp(http, HttpTargets.client()), "watch-http");
        if (etcd != null) watch(WatchSides.etcd(etcd, HttpTargets.client()), "watch");
      }
      if (!o.skip.contains("profile")) profile(embedded);
      if (binding != null) binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private void cassandraStage() {
    Path dir = o.work.resolve("cassandra");
    CassandraNode node = null;
    Thread hook = null;
    try {
      int cql = freePort();
      int storage = freePortPair();
      long t0 = System.nanoTime();
      Path libs = CassandraNode.resolveLibs(CassandraNode.defaultCacheDir());
      System.out.printf("starting Cassandra %s in %s (cql %d, storage %d)%n", CassandraNode.CASSANDRA_VERSION, dir,
          cql, storage);
      node = CassandraNode.start(CassandraNode.Config.defaults(dir).withCqlPort(cql).withStoragePort(storage), libs);
      CassandraNode started = node;
      hook = new Thread(started::stop, "stop-cassandra");
      Runtime.getRuntime().addShutdownHook(hook);
      report.cassandraStart = Duration.ofNanos(System.nanoTime() - t0);
      String store = "cassandra://127.0.0.1:" + cql + "/bench";
      try (Member m = Member.start(store, Files.createDirectories(o.work.resolve("cassandra-member")), o.extraConfig)) {
        KopekStoreTarget target = new KopekStoreTarget(CASSANDRA, m.store);
        awaitFirstWrite(target);
        measureAll(Map.of(target, "bench"));
        if (!o.skip.contains("watch")) watch(WatchSides.kopekStore(target), "watch");
      }
    } catch (Exception | LinkageError e) {
      e.printStackTrace();
      report.note("kopek on Cassandra: the stage failed: " + e);
    } finally {
      if (node != null) {
        node.stop();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
          // already shutting down
        }
      }
    }
  }

  /** Warm-up, then creates at every writer count, updates at every writer count, and the contended updates. */
  private void measureAll(List<Target> targets, String namespace) throws Exception {
    Map<Target, String> m = new LinkedHashMap<>();
    for (Target t : targets) m.put(t, namespace);
    measureAll(m);
  }

  private void measureAll(Map<Target, String> targets) throws Exception {
    for (var e : targets.entrySet()) {
      System.out.printf("warm-up: %s, %d s%n", e.getKey().name(), o.warmup.toSeconds());
      Duration half = o.warmup.dividedBy(2);
      creates(e.getKey(), e.getValue(), 64, Duration.ZERO, half);
      updates(e.getKey(), e.getValue(), 64, Duration.ZERO, half, false);
    }
    for (int n : o.writers) {
      for (var e : targets.entrySet()) report.add(creates(e.getKey(), e.getValue(), n, o.ramp, o.duration));
    }
    for (int n : o.writers) {
      for (var e : targets.entrySet()) report.add(updates(e.getKey(), e.getValue(), n, o.ramp, o.duration, false));
    }
    for (var e : targets.entrySet()) {
      report.add(updates(e.getKey(), e.getValue(), CONTENDED_WRITERS, o.ramp, o.duration, true));
    }
  }

  private ClosedLoop.Result creates(Target t, String ns, int writers, Duration ramp, Duration measure) {
    int run = runs.incrementAndGet();
    ClosedLoop.Result r = ClosedLoop.run(t.name(), "create", writers, ramp, measure,
        (w, seq) -> t.create(ns, "c" + run + "-" + w + "-" + seq, payloads.payload(seq)));
    print(r);
    return r;
  }

  /** Each writer updates its own objects; contended: all writers update the same few objects. */
  private ClosedLoop.Result updates(Target t, String ns, int writers, Duration ramp, Duration measure,
      boolean contended) throws Exception {
    int run = runs.incrementAndGet();
    List<String> names = new ArrayList<>();
    if (contended) {
      for (int j = 0; j < SHARED_OBJECTS; j++) names.add("s" + run + "-" + j);
    } else {
      for (int w = 0; w < writers; w++) {
        for (int k = 0; k < OBJECTS_PER_WRITER; k++) names.add("u" + run + "-" + w + "-" + k);
      }
    }
    for (int i = 0; i < names.size(); i += 256) {
      List<CompletableFuture<Long>> batch = new ArrayList<>();
      for (String n : names.subList(i, Math.min(names.size(), i + 256))) {
        batch.add(t.create(ns, n, payloads.payload(0)).toCompletableFuture());
      }
      CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    }
    ClosedLoop.Result r = ClosedLoop.run(t.name(), contended ? "update-contended" : "update", writers, ramp, measure,
        (w, seq) -> {
          String name = contended ? "s" + run + "-" + ((w + seq) % SHARED_OBJECTS)
              : "u" + run + "-" + w + "-" + (seq % OBJECTS_PER_WRITER);
          return t.update(ns, name, payloads.payload(seq + 1));
        });
    print(r);
    return r;
  }

  private void watch(WatchBench.Side side, String namespace) {
    String name = side.target().name();
    System.out.printf("watch: %s, %d watchers, %d writes/s, %d s%n", name, o.watchers, o.watchRate,
        o.duration.toSeconds());
    try {
      WatchBench.Result r = WatchBench.run(side, namespace, o.watchers, o.watchRate, o.duration);
      System.out.printf("  %s: %d writes, %d/%d deliveries, from ack p50 %.2f p99 %.2f max %.2f ms; %d before ack%n",
          name, r.writes(), r.delivered(), r.expected(), r.fromAck().p50(), r.fromAck().p99(), r.fromAck().max(),
          r.beforeAck());
      report.add(r);
    } catch (Exception e) {
      e.printStackTrace();
      report.note("watch on " + name + " failed: " + e);
    }
  }

  /** 64 writers creating on the embedded store under a JFR recording. */
  private void profile(KopekStoreTarget target) throws Exception {
    System.out.printf("profile: %s, 64 writers creating, %d s under JFR%n", target.name(), o.profileSeconds.toSeconds());
    Recording rec = Profiler.start();
    ClosedLoop.Result r;
    try {
      r = creates(target, "bench", 64, Duration.ZERO, o.profileSeconds);
    } finally {
      rec.stop();
    }
    Path file = o.jfrOut != null ? o.jfrOut : o.work.resolve("profile.jfr");
    rec.dump(file);
    rec.close();
    report.profileRun = r;
    report.profile = Profiler.summarize(file, o.profileSeconds.toNanos() / 1e9, r.ops());
    report.profileFile = o.jfrOut;
    System.out.println(report.profile);
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  private static void print(ClosedLoop.Result r) {
    System.out.printf("  %-16s %-16s %3d writers: %8.0f ops/s  p50 %7.2f ms  p99 %8.2f ms  max %8.1f ms  cpu %3.0f %%%s%n",
        r.target(), r.label(), r.writers(), r.throughput(), r.latency().p50(), r.latency().p99(), r.latency().max(),
        r.cpuBusy(), r.errors() > 0 ? "  errors " + r.errors() + ": " + r.firstError() : "");
  }

  private static void createNamespace(ObjectStore store, String name) throws Exception {
    ResourceType namespaces = store.registry().byPath("", "v1", "namespaces").orElseThrow();
    ObjectNode ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
    ns.putObject("metadata").put("name", name);
    store.create(namespaces, "", ns, false).toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Cassandra creates its keyspace and tables on the first write: retry until one goes through. */
  private static void awaitFirstWrite(KopekStoreTarget target) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    for (int i = 0; ; i++) {
      try {
        target.create("bench", "first-" + i, "x").toCompletableFuture().get(60, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        if (System.nanoTime() > deadline) throw e;
        Thread.sleep(1000);
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A port p with p + 1 free as well (Cassandra's storage and ssl storage ports). */
  static int freePortPair() throws IOException {
    for (int i = 0; i < 50; i++) {
      int p = freePort();
      if (p >= 65534) continue;
      try (ServerSocket ignored = new ServerSocket(p + 1, 1, InetAddress.getLoopbackAddress())) {
        return p;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free pair of ports");
  }

  /** One cluster member of its own with the store. */
  static final class Member implements AutoCloseable {
    final ActorSystem<Void> system;
    final ObjectStore store;

    private Member(ActorSystem<Void> system, ObjectStore store) {
      this.system = system;
      this.store = store;
    }

    static Member start(String store, Path dataDir, String extraConfig) {
      var config = StoreNode.config(store, dataDir, "127.0.0.1", 0, List.of(), Set.of(ObjectStore.CONTROL_PLANE_ROLE),
          ConfigFactory.parseString(extraConfig));
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "kopek", config);
      try {
        ObjectStore s = StoreNode.open(system, store, true, ResourceRegistry.builtin());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Cluster.get(system).selfMember().status() != MemberStatus.up()) {
          if (System.nanoTime() > deadline) throw new IllegalStateException("the member did not come up");
          Thread.sleep(20);
        }
        return new Member(system, s);
      } catch (RuntimeException | InterruptedException e) {
        system.terminate();
        throw new IllegalStateException("could not start a member on " + store + ": " + e, e);
      }
    }

    @Override
    public void close() {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("the actor system did not terminate in time: " + e);
      }
    }
  }

  /** Command-line options. */
  static final class Options {
    boolean quick;
    Duration duration = Duration.ofSeconds(10);
    Duration ramp = Duration.ofSeconds(2);
    Duration warmup = Duration.ofSeconds(10);
    Duration profileSeconds = Duration.ofSeconds(20);
    int[] writers = {1, 64, 512};
    int watchers = 100;
    int watchRate = 100;
    int objectBytes = 300;
    String etcd;
    Path etcdPerf;
    String etcdVersion;
    /** The code measured, e.g. {@code git describe --always --dirty}. */
    String revision;
    Path work;
    Path reportFile;
    Path jfrOut;
    String command = "bench/store-benchmark";
    String loadAtStart;
    Set<String> skip = Set.of();
    /** HOCON given to every kopek member, for experiments (e.g. journal settings); empty by default. */
    String extraConfig = "";
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    static Options parse(String[] args) throws IOException {
      Options o = new Options();
      boolean durationSet = false;
      boolean rampSet = false;
      boolean warmupSet = false;
      boolean profileSet = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--quick" -> o.quick = true;
          case "--duration" -> { o.duration = Duration.ofSeconds(Long.parseLong(args[++i])); durationSet = true; }
          case "--ramp" -> { o.ramp = Duration.ofSeconds(Long.parseLong(args[++i])); rampSet = true; }
          case "--warmup" -> { o.warmup = Duration.ofSeconds(Long.parseLong(args[++i])); warmupSet = true; }
          case "--profile-seconds" -> { o.profileSeconds = Duration.ofSeconds(Long.parseLong(args[++i])); profileSet = true; }
          case "--writers" -> o.writers = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
          case "--watchers" -> o.watchers = Integer.parseInt(args[++i]);
          case "--watch-rate" -> o.watchRate = Integer.parseInt(args[++i]);
          case "--object-bytes" -> o.objectBytes = Integer.parseInt(args[++i]);
          case "--etcd" -> o.etcd = args[++i];
          case "--etcd-perf" -> o.etcdPerf = Path.of(args[++i]);
          case "--etcd-version" -> o.etcdVersion = args[++i];
          case "--revision" -> o.revision = args[++i];
          case "--work" -> o.work = Path.of(args[++i]);
          case "--report" -> o.reportFile = Path.of(args[++i]);
          case "--jfr" -> o.jfrOut = Path.of(args[++i]).toAbsolutePath();
          case "--command" -> o.command = args[++i];
          case "--load-at-start" -> o.loadAtStart = args[++i];
          case "--skip" -> o.skip = Set.of(args[++i].split(","));
          case "--extra-config" -> o.extraConfig = args[++i];
          default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
        }
      }
      if (o.quick) {
        if (!durationSet) o.duration = Duration.ofSeconds(3);
        if (!rampSet) o.ramp = Duration.ofSeconds(1);
        if (!warmupSet) o.warmup = Duration.ofSeconds(4);
        if (!profileSet) o.profileSeconds = Duration.ofSeconds(5);
      }
      if (o.work == null) o.work = Files.createTempDirectory("kopek-store-bench");
      if (o.loadAtStart == null) o.loadAtStart = Machine.loadAverage();
      return o;
    }

    static String usage() {
      return """
          usage: StoreBenchmark [--quick] [--duration S] [--ramp S] [--warmup S] [--writers 1,64,512]
                                [--watchers N] [--watch-rate W] [--object-bytes B] [--etcd URL] [--etcd-perf FILE]
                                [--work DIR] [--report BENCHMARKS.md] [--jfr FILE] [--profile-seconds S]
                                [--skip embedded,http,cassandra,watch,profile] [--extra-config HOCON]""";
    }
  }
}
