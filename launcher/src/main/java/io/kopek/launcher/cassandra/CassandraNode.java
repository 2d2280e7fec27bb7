package io.kopek.launcher.cassandra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real single-node Apache Cassandra 5.0 for development and tests, run as a child JVM from the
 * {@code cassandra-all} jars on Maven Central.
 *
 * <p>Everything the node writes lives under {@link Config#dir()}: {@code conf/} (generated
 * {@code cassandra.yaml} and {@code logback.xml}), {@code data/}, {@code commitlog/}, {@code hints/},
 * {@code saved_caches/}, {@code cdc_raw/}, {@code triggers/}, {@code logs/} ({@code system.log},
 * {@code stdout.log}) and {@code cassandra.pid}. The jars come from {@link #resolveLibs(Path)}.
 *
 * <p>Cassandra 5.0 runs on Java 17 only; the launcher itself runs on any Java 17+.
 */
public final class CassandraNode {

  /** The Cassandra version whose jars {@link #resolveLibs(Path)} fetches. */
  public static final String CASSANDRA_VERSION = "5.0.9";
  /** Pinned: Maven 3.8's default dependency plugin is older. */
  static final String DEPENDENCY_PLUGIN_VERSION = "3.8.1";
  static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";
  static final Path PREFERRED_JAVA = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
  /** Overrides the java executable used for Cassandra (must be a Java 17). */
  static final String JAVA_ENV = "KOPEK_CASSANDRA_JAVA";
  /** Overrides the mvn executable used by {@link #resolveLibs(Path)}. */
  static final String MVN_ENV = "KOPEK_MVN";
  /** Extra JVM options for Cassandra, split on whitespace and added last (so they win). */
  static final String JVM_OPTS_ENV = "KOPEK_CASSANDRA_JVM_OPTS";

  static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  static final String PID_FILE = "cassandra.pid";
  static final String MARKER_FILE = ".kopek-resolved";
  /** Log lines that mean the native transport is up. */
  static final List<String> READY_MARKERS = List.of("Starting listening for CQL clients", "Startup complete");

  /**
   * How to run the node.
   *
   * @param dir              work directory; everything the node writes goes below it
   * @param address          listen and rpc address (default 127.0.0.1)
   * @param cqlPort          native transport port (default 9142, not 9042, to stay clear of other Cassandras)
   * @param storagePort      internode port (default 7100); {@code storagePort + 1} is written as ssl_storage_port
   * @param clusterName      must stay the same across restarts on the same data (default "kopek")
   * @param seeds            {@code host:port} seeds; null or empty means {@code [address:storagePort]}
   * @param heapMb           -Xmx (default 512; -Xms is a quarter of it); direct memory and memtables are sized
   *                         from it
   * @param durableCommitlog true (default): {@code commitlog_sync: batch}, a write is acknowledged only after the
   *                         commit log is fsynced, so it survives even an OS crash or power loss (measured here:
   *                         7.4 ms per sequential insert); false: {@code periodic}, fsync every 10 s (2.6 ms per
   *                         insert). Both kept every acknowledged write across a SIGKILL of Cassandra, because
   *                         the commit log is memory-mapped and a killed process's pages stay in the OS page
   *                         cache; periodic loses the last seconds only if the machine itself goes down.
   */
  public record Config(Path dir, String address, int cqlPort, int storagePort, String clusterName,
      List<String> seeds, int heapMb, boolean durableCommitlog) {

    public static final String DEFAULT_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_CQL_PORT = 9142;
    public static final int DEFAULT_STORAGE_PORT = 7100;
    public static final String DEFAULT_CLUSTER_NAME = "kopek";
    public static final int DEFAULT_HEAP_MB = 512;

    public Config {
      Objects.requireNonNull(dir, "dir");
      dir = dir.toAbsolutePath().normalize();
      address = (address == null || address.isBlank()) ? DEFAULT_ADDRESS : address.trim();
      checkPort("cqlPort", cqlPort);
      checkPort("storagePort", storagePort);
      if (cqlPort == storagePort || cqlPort == storagePort + 1) {
        throw new IllegalArgumentException("cqlPort " + cqlPort + " clashes with storage ports "
            + storagePort + "/" + (storagePort + 1));
      }
      clusterName = (clusterName == null || clusterName.isBlank()) ? DEFAULT_CLUSTER_NAME : clusterName;
      seeds = (seeds == null || seeds.isEmpty()) ? List.of(address + ":" + storagePort) : List.copyOf(seeds);
      if (heapMb < 128) {
        throw new IllegalArgumentException("heapMb must be at least 128, was " + heapMb);
      }
    }

    /** 127.0.0.1, cql 9142, storage 7100, cluster "kopek", 512 MB heap, durable (batch) commit log. */
    public static Config defaults(Path dir) {
      return new Config(dir, DEFAULT_ADDRESS, DEFAULT_CQL_PORT, DEFAULT_STORAGE_PORT, DEFAULT_CLUSTER_NAME,
          null, DEFAULT_HEAP_MB, true);
    }

    public Config withCqlPort(int port) {
      return new Config(dir, address, port, storagePort, clusterName, seeds, heapMb, durableCommitlog);
    }

    public Config withStoragePort(int port) {
      return new Config(dir, address, cqlPort, port, clusterName, seedsFollowing(address, port), heapMb,
          durableCommitlog);
    }

    public Config withAddress(String newAddress) {
      return new Config(dir, newAddress, cqlPort, storagePort, clusterName,
          seedsFollowing(newAddress, storagePort), heapMb, durableCommitlog);
    }

    public Config withSeeds(List<String> newSeeds) {
      return new Config(dir, address, cqlPort, storagePort, clusterName, newSeeds, heapMb, durableCommitlog);
    }

    public Config withClusterName(String name) {
      return new Config(dir, address, cqlPort, storagePort, name, seeds, heapMb, durableCommitlog);
    }

    public Config withHeapMb(int mb) {
      return new Config(dir, address, cqlPort, storagePort, clusterName, seeds, mb, durableCommitlog);
    }

    public Config withDurableCommitlog(boolean durable) {
      return new Config(dir, address, cqlPort, storagePort, clusterName, seeds, heapMb, durable);
    }

    /** Keeps the default seed list in step with address/port changes; explicit seeds are left alone. */
    private List<String> seedsFollowing(String newAddress, int newStoragePort) {
      if (seeds.equals(List.of(address + ":" + storagePort))) {
        String a = (newAddress == null || newAddress.isBlank()) ? DEFAULT_ADDRESS : newAddress.trim();
        return List.of(a + ":" + newStoragePort);
      }
      return seeds;
    }

    private static void checkPort(String name, int port) {
      if (port < 1 || port > 65534) {
        throw new IllegalArgumentException(name + " out of range: " + port);
      }
    }
  }

  private final Path dir;
  private final String address;
  private final int cqlPort;
  private final ProcessHandle handle;

  private CassandraNode(Path dir, String address, int cqlPort, ProcessHandle handle) {
    this.dir = dir;
    this.address = address;
    this.cqlPort = cqlPort;
    this.handle = handle;
  }

  // ------------------------------------------------------------------------------------------------
  // Resolving the jars
  // ------------------------------------------------------------------------------------------------

  /** {@code ~/.kopek/cassandra-5.0.9}. */
  public static Path defaultCacheDir() {
    return Path.of(System.getProperty("user.home"), ".kopek", "cassandra-" + CASSANDRA_VERSION);
  }

  /**
   * Makes sure {@code cacheDir/lib} holds cassandra-all {@value #CASSANDRA_VERSION} and all its runtime
   * dependencies, running {@code mvn dependency:copy-dependencies} on a generated pom the first time (about
   * 35 s and 67 MB). A marker file records success, so later calls return at once. Safe to call from
   * several processes at the same time (file lock).
   *
   * @return {@code cacheDir/lib}
   */
  public static Path resolveLibs(Path cacheDir) {
    Path cache = cacheDir.toAbsolutePath().normalize();
    Path lib = cache.resolve("lib");
    if (isResolved(lib)) {
      return lib;
    }
    try {
      Files.createDirectories(cache);
      try (FileChannel ch = FileChannel.open(cache.resolve(".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
        FileLock ignored = ch.lock()) {
        if (isResolved(lib)) {
          return lib; // another process finished it while we waited
        }
        resolveLocked(cache, lib);
        return lib;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not resolve Cassandra jars into " + lib, e);
    }
  }

  static boolean isResolved(Path lib) {
    Path marker = lib.resolve(MARKER_FILE);
    if (!Files.isRegularFile(marker)) {
      return false;
    }
    try {
      return Files.readString(marker).startsWith("cassandra-all " + CASSANDRA_VERSION)
          && Files.isRegularFile(lib.resolve("cassandra-all-" + CASSANDRA_VERSION + ".jar"));
    } catch (IOException e) {
      return false;
    }
  }

  private static void resolveLocked(Path cache, Path lib) throws IOException {
    PrintStream err = System.err;
    err.println("kopek: resolving cassandra-all " + CASSANDRA_VERSION + " and its dependencies into " + lib
        + " (first time only, ~35 s, ~67 MB)");
    Instant t0 = Instant.now();
    Files.writeString(cache.resolve("pom.xml"), resolverPom());
    Path tmp = cache.resolve("lib.tmp");
    deleteTree(tmp);
    Path log = cache.resolve("resolve.log");
    List<String> cmd = List.of(mvnCommand(), "-q", "-B", "-f", cache.resolve("pom.xml").toString(),
        "dependency:copy-dependencies", "-DoutputDirectory=" + tmp, "-DincludeScope=runtime");
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(cache.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(devNull()))
          .start();
    } catch (IOException e) {
      throw new IOException("could not run '" + cmd.get(0) + "' (is Maven installed? set " + MVN_ENV
          + " to its path): " + e.getMessage(), e);
    }
    int rc;
    try {
      if (!p.waitFor(20, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("mvn dependency:copy-dependencies timed out; see " + log);
      }
      rc = p.exitValue();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while resolving Cassandra jars", e);
    }
    if (rc != 0) {
      throw new IOException("mvn dependency:copy-dependencies failed (exit " + rc + "); " + log + ":\n"
          + tail(log, 40));
    }
    List<Path> jars;
    try (Stream<Path> s = Files.list(tmp)) {
      jars = s.filter(f -> f.getFileName().toString().endsWith(".jar")).collect(Collectors.toList());
    }
    if (jars.stream().noneMatch(j -> j.getFileName().toString().equals("cassandra-all-" + CASSANDRA_VERSION
        + ".jar"))) {
      throw new IOException("mvn succeeded but cassandra-all-" + CASSANDRA_VERSION + ".jar is not in " + tmp);
    }
    long bytes = 0;
    for (Path j : jars) {
      bytes += Files.size(j);
    }
    Files.writeString(tmp.resolve(MARKER_FILE), "cassandra-all " + CASSANDRA_VERSION + "\njars " + jars.size()
        + "\nresolved " + Instant.now() + "\n");
    deleteTree(lib);
    move(tmp, lib);
    err.printf("kopek: resolved %d jars (%d MB) in %.1f s%n", jars.size(), bytes >> 20,
        Duration.between(t0, Instant.now()).toMillis() / 1000.0);
  }

  static String resolverPom() {
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- Generated by kopek (io.kopek.launcher.cassandra.CassandraNode) to fetch Cassandra's jars. -->
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>io.kopek.cache</groupId>
          <artifactId>cassandra-jars</artifactId>
          <version>{{version}}</version>
          <packaging>pom</packaging>
          <dependencies>
            <dependency>
              <groupId>org.apache.cassandra</groupId>
              <artifactId>cassandra-all</artifactId>
              <version>{{version}}</version>
            </dependency>
          </dependencies>
          <build>
            <plugins>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-dependency-plugin</artifactId>
                <version>{{pluginVersion}}</version>
              </plugin>
            </plugins>
          </build>
        </project>
        """.replace("{{version}}", CASSANDRA_VERSION).replace("{{pluginVersion}}", DEPENDENCY_PLUGIN_VERSION);
  }

  static String mvnCommand() {
    String env = System.getenv(MVN_ENV);
    return env != null && !env.isBlank() ? env : "mvn";
  }

  // ------------------------------------------------------------------------------------------------
  // Starting
  // ------------------------------------------------------------------------------------------------

  /**
   * Writes the configuration under {@code c.dir()}, starts Cassandra as a child JVM and waits (up to 120 s)
   * until the log says the CQL transport is listening and the CQL port answers a protocol OPTIONS request.
   * Existing data in {@code c.dir()} is reused (a restart).
   *
   * @param libs a folder of jars as returned by {@link #resolveLibs(Path)}
   * @throws IllegalStateException if a node already runs in {@code c.dir()}, a port is taken, the process
   *                               dies during start or the start times out (the message has the log's tail)
   */
  public static CassandraNode start(Config c, Path libs) {
    Path lib = libs.toAbsolutePath().normalize();
    if (!Files.isRegularFile(lib.resolve("cassandra-all-" + CASSANDRA_VERSION + ".jar"))) {
      throw new IllegalArgumentException(lib + " has no cassandra-all-" + CASSANDRA_VERSION
          + ".jar; call resolveLibs first");
    }
    Optional<CassandraNode> existing = running(c.dir());
    if (existing.isPresent()) {
      throw new IllegalStateException("Cassandra already runs in " + c.dir() + " (pid " + existing.get().pid()
          + ")");
    }
    checkPortFree(c.address(), c.cqlPort(), "CQL");
    checkPortFree(c.address(), c.storagePort(), "storage");

    Path dir = c.dir();
    Path conf = dir.resolve("conf");
    Path logs = dir.resolve("logs");
    try {
      for (String d : List.of("conf", "data", "commitlog", "saved_caches", "hints", "cdc_raw", "triggers",
          "logs")) {
        Files.createDirectories(dir.resolve(d));
      }
      Files.writeString(conf.resolve("cassandra.yaml"), cassandraYaml(c));
      Files.writeString(conf.resolve("logback.xml"), logbackXml(logs));
    } catch (IOException e) {
      throw new UncheckedIOException("could not write Cassandra config under " + dir, e);
    }

    Path systemLog = logs.resolve("system.log");
    Path stdoutLog = logs.resolve("stdout.log");
    long logOffset = sizeOrZero(systemLog);
    List<String> cmd = command(c, conf, lib);
    Process process;
    try {
      Files.writeString(stdoutLog, "==== kopek: starting Cassandra " + CASSANDRA_VERSION + " at " + Instant.now()
              + "\n==== " + String.join(" ", cmd) + "\n",
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      process = new ProcessBuilder(cmd)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(stdoutLog.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(devNull()))
          .start();
      writePid(dir, process.pid());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + cmd.get(0), e);
    }

    CassandraNode node = new CassandraNode(dir, c.address(), c.cqlPort(), process.toHandle());
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    boolean logReady = false;
    while (true) {
      if (!process.isAlive()) {
        deletePid(dir);
        throw new IllegalStateException("Cassandra exited with code " + process.exitValue()
            + " during start (it needs Java 17: ran " + cmd.get(0) + "; " + JAVA_ENV + " overrides)\n"
            + diagnostics(systemLog, logOffset, stdoutLog));
      }
      if (!logReady) {
        logReady = logShowsReady(systemLog, logOffset);
      }
      if (logReady && probeCql(c.address(), c.cqlPort(), Duration.ofSeconds(2))) {
        return node;
      }
      if (System.nanoTime() > deadline) {
        node.kill();
        throw new IllegalStateException("Cassandra did not open CQL on " + c.address() + ":" + c.cqlPort()
            + " within " + START_TIMEOUT.toSeconds() + " s (killed it)\n"
            + diagnostics(systemLog, logOffset, stdoutLog));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        node.kill();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Cassandra to start (killed it)", e);
      }
    }
  }

  /** The full {@code java} command line for the node. */
  static List<String> command(Config c, Path conf, Path lib) {
    Path dir = c.dir();
    List<String> cmd = new ArrayList<>();
    cmd.add(javaCommand());
    int heap = c.heapMb();
    // Cassandra calls mlockall(MCL_CURRENT) at start, which makes everything committed by then resident
    // for good: a small initial heap keeps an idle dev node at about 0.55 GB RSS instead of 0.95 GB
    // (and starts faster); the heap still grows to -Xmx under load.
    cmd.add("-Xms" + Math.max(64, heap / 4) + "m");
    cmd.add("-Xmx" + heap + "m");
    cmd.add("-Xss256k");
    cmd.add("-XX:MaxDirectMemorySize=" + Math.max(128, heap / 2) + "m");
    // Garbage collection: G1 as in Cassandra's jvm17-server.options, without the 16m regions that only
    // suit big heaps.
    cmd.add("-XX:+UseG1GC");
    cmd.add("-XX:+ParallelRefProcEnabled");
    cmd.add("-XX:MaxTenuringThreshold=1");
    cmd.add("-XX:G1RSetUpdatingPauseTimePercent=5");
    cmd.add("-XX:MaxGCPauseMillis=300");
    cmd.add("-XX:InitiatingHeapOccupancyPercent=70");
    cmd.add("-XX:+ExitOnOutOfMemoryError"); // Cassandra's startup check asks for it (no heap dumps here)
    cmd.add("-XX:ErrorFile=" + dir.resolve("logs").resolve("hs_err_pid%p.log"));
    // Module access Cassandra needs on Java 17 (the list in Cassandra's conf/jvm17-server.options).
    for (String e : List.of("java.base/jdk.internal.misc", "java.management.rmi/com.sun.jmx.remote.internal.rmi",
        "java.rmi/sun.rmi.registry", "java.rmi/sun.rmi.server", "java.sql/java.sql",
        "java.base/java.lang.ref", "jdk.unsupported/sun.misc", "jdk.compiler/com.sun.tools.javac.file",
        "jdk.attach/sun.tools.attach")) {
      cmd.add("--add-exports");
      cmd.add(e + "=ALL-UNNAMED");
    }
    for (String o : List.of("java.base/java.lang.module", "java.base/jdk.internal.loader",
        "java.base/jdk.internal.ref", "java.base/jdk.internal.reflect", "java.base/jdk.internal.math",
        "java.base/jdk.internal.module", "java.base/jdk.internal.util.jar",
        "jdk.management/com.sun.management.internal", "java.base/sun.nio.ch", "java.base/java.io",
        "java.base/java.lang.reflect", "jdk.compiler/com.sun.tools.javac", "java.base/java.lang",
        "java.base/java.util")) {
      cmd.add("--add-opens");
      cmd.add(o + "=ALL-UNNAMED");
    }
    cmd.add("-Djdk.attach.allowAttachSelf=true");
    cmd.add("-Djava.net.preferIPv4Stack=true");
    cmd.add("-Dio.netty.tryReflectionSetAccessible=true");
    cmd.add("-Dio.netty.allocator.useCacheForAllThreads=true");
    cmd.add("-Dio.netty.allocator.maxOrder=11");
    // jamm measures memtable sizes; Cassandra's own scripts load it as an agent.
    findJar(lib, "jamm-").ifPresent(j -> cmd.add("-javaagent:" + j));
    // Cassandra's own settings.
    cmd.add("-Dcassandra.config=" + conf.resolve("cassandra.yaml").toUri());
    cmd.add("-Dlogback.configurationFile=" + conf.resolve("logback.xml").toUri());
    cmd.add("-Dcassandra.logdir=" + dir.resolve("logs"));
    cmd.add("-Dcassandra.storagedir=" + dir.resolve("data"));
    cmd.add("-Dcassandra.triggers_dir=" + dir.resolve("triggers"));
    cmd.add("-Dcassandra-foreground=true");
    cmd.add("-Dcassandra.available_processors=" + Math.min(2, Runtime.getRuntime().availableProcessors()));
    // A single node need not wait for gossip or a ring to settle.
    cmd.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
    cmd.add("-Dcassandra.ring_delay_ms=0");
    cmd.add("-Dcassandra.superuser_setup_delay_ms=0");
    cmd.add("-Dcassandra.load_ring_state=false");
    if (c.seeds().equals(List.of(c.address() + ":" + c.storagePort()))) {
      // Alone in its cluster: nobody to tell about the shutdown (saves 2 s on stop).
      cmd.add("-Dcassandra.shutdown_announce_in_ms=0");
    }
    String extra = System.getenv(JVM_OPTS_ENV);
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    cmd.add("-cp");
    cmd.add(conf + java.io.File.pathSeparator + lib.resolve("*"));
    cmd.add(MAIN_CLASS);
    return cmd;
  }

  static String cassandraYaml(Config c) {
    Path d = c.dir();
    int memtableMb = Math.max(16, c.heapMb() / 8);
    String commitlog = c.durableCommitlog()
        ? "# Durable: a write is acknowledged only after the commit log is fsynced (survives an OS crash).\n"
        + "commitlog_sync: batch"
        : "# Fast: fsync every 10 s; an OS crash or power loss can lose the last seconds (a killed\n"
        + "# Cassandra does not: the memory-mapped commit log stays in the page cache).\n"
        + "commitlog_sync: periodic\ncommitlog_sync_period: 10000ms";
    Map<String, String> v = new LinkedHashMap<>();
    v.put("clusterName", yamlString(c.clusterName()));
    v.put("dataDir", yamlString(d.resolve("data").toString()));
    v.put("commitlogDir", yamlString(d.resolve("commitlog").toString()));
    v.put("savedCachesDir", yamlString(d.resolve("saved_caches").toString()));
    v.put("hintsDir", yamlString(d.resolve("hints").toString()));
    v.put("cdcDir", yamlString(d.resolve("cdc_raw").toString()));
    v.put("commitlog", commitlog);
    v.put("seeds", yamlString(String.join(",", c.seeds())));
    v.put("address", c.address());
    v.put("storagePort", Integer.toString(c.storagePort()));
    v.put("sslStoragePort", Integer.toString(c.storagePort() + 1));
    v.put("cqlPort", Integer.toString(c.cqlPort()));
    v.put("memtableMb", Integer.toString(memtableMb));
    String yaml = """
        # Generated by kopek (io.kopek.launcher.cassandra.CassandraNode) at every start: edits are lost.
        # A single-node Cassandra 5.0 for development and tests, kept small in CPU and memory.
        cluster_name: {{clusterName}}
        num_tokens: 16
        allocate_tokens_for_local_replication_factor: 1
        partitioner: org.apache.cassandra.dht.Murmur3Partitioner
        endpoint_snitch: SimpleSnitch
        auto_bootstrap: false

        authenticator: AllowAllAuthenticator
        authorizer: AllowAllAuthorizer
        role_manager: CassandraRoleManager
        network_authorizer: AllowAllNetworkAuthorizer

        data_file_directories:
          - {{dataDir}}
        commitlog_directory: {{commitlogDir}}
        saved_caches_directory: {{savedCachesDir}}
        hints_directory: {{hintsDir}}
        cdc_raw_directory: {{cdcDir}}

        {{commitlog}}
        commitlog_segment_size: 32MiB
        commitlog_total_space: 512MiB

        seed_provider:
          - class_name: org.apache.cassandra.locator.SimpleSeedProvider
            parameters:
              - seeds: {{seeds}}
        listen_address: {{address}}
        rpc_address: {{address}}
        storage_port: {{storagePort}}
        ssl_storage_port: {{sslStoragePort}}
        start_native_transport: true
        native_transport_port: {{cqlPort}}
        native_transport_max_threads: 32

        # Small: this machine also runs the control plane and its tests.
        concurrent_reads: 8
        concurrent_writes: 8
        concurrent_counter_writes: 4
        concurrent_materialized_view_writes: 2
        concurrent_compactors: 1
        memtable_flush_writers: 1
        memtable_heap_space: {{memtableMb}}MiB
        memtable_offheap_space: {{memtableMb}}MiB
        key_cache_size: 16MiB
        compaction_throughput: 64MiB/s

        # Development data: no snapshot on every DROP/TRUNCATE.
        auto_snapshot: false
        """;
    for (Map.Entry<String, String> e : v.entrySet()) {
      yaml = yaml.replace("{{" + e.getKey() + "}}", e.getValue());
    }
    return yaml;
  }

  static String logbackXml(Path logs) {
    String file = xmlEscape(logs.resolve("system.log").toString());
    String pattern = xmlEscape(logs.resolve("system.log").toString() + ".%i.zip");
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- Generated by kopek at every start. Everything INFO+ goes to system.log, WARN+ also to the
             console, which the launcher redirects to stdout.log. -->
        <configuration scan="false">
          <appender name="FILE" class="ch.qos.logback.core.rolling.RollingFileAppender">
            <file>{{file}}</file>
            <rollingPolicy class="ch.qos.logback.core.rolling.FixedWindowRollingPolicy">
              <fileNamePattern>{{pattern}}</fileNamePattern>
              <minIndex>1</minIndex>
              <maxIndex>3</maxIndex>
            </rollingPolicy>
            <triggeringPolicy class="ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy">
              <maxFileSize>20MB</maxFileSize>
            </triggeringPolicy>
            <encoder>
              <pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern>
            </encoder>
          </appender>
          <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
            <filter class="ch.qos.logback.classic.filter.ThresholdFilter">
              <level>WARN</level>
            </filter>
            <encoder>
              <pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern>
            </encoder>
          </appender>
          <logger name="org.apache.cassandra" level="INFO"/>
          <root level="INFO">
            <appender-ref ref="FILE"/>
            <appender-ref ref="STDOUT"/>
          </root>
        </configuration>
        """.replace("{{file}}", file).replace("{{pattern}}", pattern);
  }

  /** The java used for Cassandra: $KOPEK_CASSANDRA_JAVA, else the Debian OpenJDK 17, else {@code java}. */
  static String javaCommand() {
    String env = System.getenv(JAVA_ENV);
    if (env != null && !env.isBlank()) {
      return env;
    }
    if (Files.isExecutable(PREFERRED_JAVA)) {
      return PREFERRED_JAVA.toString();
    }
    return "java";
  }

  // ------------------------------------------------------------------------------------------------
  // Finding, inspecting and stopping a node
  // ------------------------------------------------------------------------------------------------

  /**
   * The node running in {@code dir}, found through {@code dir/cassandra.pid}. A pid file whose process is gone
   * (or is no longer a Cassandra) is removed.
   */
  public static Optional<CassandraNode> running(Path dir) {
    Path d = dir.toAbsolutePath().normalize();
    Path pidFile = d.resolve(PID_FILE);
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(CassandraNode::alive);
    if (h.isEmpty() || !looksLikeCassandra(h.get())) {
      deletePid(d);
      return Optional.empty();
    }
    String address = Config.DEFAULT_ADDRESS;
    int port = Config.DEFAULT_CQL_PORT;
    try {
      String yaml = Files.readString(d.resolve("conf").resolve("cassandra.yaml"));
      Matcher m = Pattern.compile("(?m)^native_transport_port:\\s*(\\d+)").matcher(yaml);
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
      }
      Matcher a = Pattern.compile("(?m)^rpc_address:\\s*(\\S+)").matcher(yaml);
      if (a.find()) {
        address = a.group(1);
      }
    } catch (IOException e) {
      // keep the defaults
    }
    return Optional.of(new CassandraNode(d, address, port, h.get()));
  }

  private static boolean looksLikeCassandra(ProcessHandle h) {
    ProcessHandle.Info info = h.info();
    Optional<String[]> args = info.arguments();
    if (args.isPresent()) {
      for (String a : args.get()) {
        if (a.equals(MAIN_CLASS)) {
          return true;
        }
      }
      return false;
    }
    // Arguments are not always visible (other users, some platforms): fall back to the command line, and
    // trust the pid file when nothing can be seen.
    return info.commandLine().map(cl -> cl.contains(MAIN_CLASS)).orElse(true);
  }

  public long pid() {
    return handle.pid();
  }

  public int cqlPort() {
    return cqlPort;
  }

  /** The address CQL listens on. */
  public String address() {
    return address;
  }

  /** The work directory. */
  public Path dir() {
    return dir;
  }

  /** Whether the process runs; a zombie (exited, not yet reaped by its parent) counts as gone. */
  public boolean isAlive() {
    return alive(handle);
  }

  private static boolean alive(ProcessHandle h) {
    return h.isAlive() && !isZombie(h.pid());
  }

  /**
   * A process that exited but is not yet reaped still counts as alive for {@link ProcessHandle#isAlive()}.
   * When the launching JVM has exited (CLI {@code start}, then {@code stop}), the parent is init, which may
   * take a second or two to reap it; /proc tells the truth at once. Only a zombie whose every thread is gone
   * counts: right after SIGKILL the main thread shows 'Z' while the others still exit and hold the sockets.
   */
  private static boolean isZombie(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      String stat = Files.readString(proc.resolve("stat"));
      int close = stat.lastIndexOf(')'); // the command name in (...) may itself contain spaces
      if (close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z') {
        return false;
      }
      try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
        return tasks.count() <= 1;
      }
    } catch (IOException | RuntimeException e) {
      return false; // no /proc (not Linux) or already gone: ProcessHandle decides
    }
  }

  /**
   * SIGTERM (Cassandra drains: flushes memtables and closes the commit log), waits up to 30 s, then SIGKILL.
   * Removes the pid file. Does nothing more if the process is already gone.
   */
  public void stop() {
    if (isAlive()) {
      handle.destroy();
      if (!awaitExit(STOP_TIMEOUT)) {
        System.err.println("kopek: Cassandra (pid " + pid() + ") did not stop within "
            + STOP_TIMEOUT.toSeconds() + " s; killing it");
        handle.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
      }
    }
    deletePid(dir);
  }

  /** SIGKILL, as a crash would; waits for the process to be gone and removes the pid file. */
  public void kill() {
    if (isAlive()) {
      handle.destroyForcibly();
      awaitExit(Duration.ofSeconds(10));
    }
    deletePid(dir);
  }

  /**
   * Polls rather than using {@code onExit()}: for a process that is not our child (found through the pid
   * file), the JDK's exit detection polls with a coarse interval and added about 2 s to every stop.
   */
  private boolean awaitExit(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (isAlive()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !isAlive();
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "CassandraNode[pid=" + pid() + ", cql=" + address + ":" + cqlPort + ", dir=" + dir + "]";
  }

  /**
   * Whether a CQL server answers on {@code host:port}: sends a native-protocol v4 OPTIONS frame and expects a
   * SUPPORTED frame back. Stronger than a bare TCP connect, and needs no driver.
   */
  public static boolean probeCql(String host, int port, Duration timeout) {
    int ms = (int) Math.max(1, timeout.toMillis());
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), ms);
      s.setSoTimeout(ms);
      OutputStream out = s.getOutputStream();
      // version 4 request, flags 0, stream 1, opcode OPTIONS (0x05), body length 0
      out.write(new byte[]{0x04, 0x00, 0x00, 0x01, 0x05, 0x00, 0x00, 0x00, 0x00});
      out.flush();
      InputStream in = s.getInputStream();
      byte[] header = in.readNBytes(9);
      // response version 0x84, opcode SUPPORTED (0x06)
      return header.length == 9 && (header[0] & 0xff) == 0x84 && header[4] == 0x06;
    } catch (IOException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Command line
  // ------------------------------------------------------------------------------------------------

  public static void main(String[] args) {
    System.exit(run(List.of(args)));
  }

  /**
   * {@code start|stop|status [--dir DIR] [--port CQLPORT] [--storage-port P] [--address A] [--heap-mb N]}
   * ({@code --dir} defaults to {@code ~/.kopek/cassandra}).
   *
   * @return 0 on success (and for {@code status} when running), 3 for {@code status} when not running,
   *         2 on a usage error, 1 on failure
   */
  public static int run(List<String> args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    if (args.isEmpty()) {
      err.println(usage());
      return 2;
    }
    String command = args.get(0);
    Config c = Config.defaults(Path.of(System.getProperty("user.home"), ".kopek", "cassandra"));
    try {
      for (int i = 1; i < args.size(); i++) {
        String opt = args.get(i);
        String value;
        int eq = opt.indexOf('=');
        if (opt.startsWith("--") && eq > 0) {
          value = opt.substring(eq + 1);
          opt = opt.substring(0, eq);
        } else {
          if (i + 1 >= args.size()) {
            err.println("missing value for " + opt + "\n" + usage());
            return 2;
          }
          value = args.get(++i);
        }
        switch (opt) {
          case "--dir" -> c = new Config(Path.of(value), c.address(), c.cqlPort(), c.storagePort(),
              c.clusterName(), c.seeds(), c.heapMb(), c.durableCommitlog());
          case "--port" -> c = c.withCqlPort(Integer.parseInt(value));
          case "--storage-port" -> c = c.withStoragePort(Integer.parseInt(value));
          case "--address" -> c = c.withAddress(value);
          case "--heap-mb" -> c = c.withHeapMb(Integer.parseInt(value));
          default -> {
            err.println("unknown option " + opt + "\n" + usage());
            return 2;
          }
        }
      }
    } catch (IllegalArgumentException e) { // includes NumberFormatException
      err.println("bad option: " + e.getMessage() + "\n" + usage());
      return 2;
    }

    switch (command) {
      case "start": {
        Optional<CassandraNode> r = running(c.dir());
        if (r.isPresent()) {
          out.println("cassandra is already running: cql " + r.get().address() + ":" + r.get().cqlPort()
              + " (pid " + r.get().pid() + ")");
          return 0;
        }
        try {
          Path libs = resolveLibs(defaultCacheDir());
          long t0 = System.nanoTime();
          CassandraNode n = start(c, libs);
          out.printf("cassandra is up: cql %s:%d (pid %d)%n", n.address(), n.cqlPort(), n.pid());
          err.printf("kopek: started in %.1f s; dir %s, logs in %s%n", (System.nanoTime() - t0) / 1e9,
              n.dir(), n.dir().resolve("logs"));
          return 0;
        } catch (RuntimeException e) {
          err.println("cassandra failed to start: " + e.getMessage());
          return 1;
        }
      }
      case "stop": {
        Optional<CassandraNode> r = running(c.dir());
        if (r.isEmpty()) {
          out.println("cassandra is not running (dir " + c.dir() + ")");
          return 0;
        }
        long t0 = System.nanoTime();
        r.get().stop();
        out.printf("cassandra stopped (pid %d) in %.1f s%n", r.get().pid(), (System.nanoTime() - t0) / 1e9);
        return 0;
      }
      case "status": {
        Optional<CassandraNode> r = running(c.dir());
        if (r.isEmpty()) {
          out.println("cassandra is not running (dir " + c.dir() + ")");
          return 3;
        }
        CassandraNode n = r.get();
        boolean cql = probeCql(n.address(), n.cqlPort(), Duration.ofSeconds(2));
        out.println("cassandra is running: cql " + n.address() + ":" + n.cqlPort() + " (pid " + n.pid() + ")"
            + (cql ? "" : ", CQL not answering yet"));
        return 0;
      }
      default:
        err.println("unknown command " + command + "\n" + usage());
        return 2;
    }
  }

  static String usage() {
    return "usage: kopek cassandra start|stop|status [--dir DIR] [--port CQLPORT] [--storage-port P] [--address A]"
        + " [--heap-mb N]\n  --dir defaults to ~/.kopek/cassandra; jars are cached in " + defaultCacheDir();
  }

  // ------------------------------------------------------------------------------------------------
  // Helpers
  // ------------------------------------------------------------------------------------------------

  /** Waits up to 10 s for the port to be free (a node killed a moment ago may still hold it). */
  private static void checkPortFree(String address, int port, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(address, port));
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(what + " port " + address + ":" + port + " is not free ("
              + e.getMessage() + "); is another Cassandra running?");
        }
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for port " + port, e);
      }
    }
  }

  private static boolean logShowsReady(Path log, long offset) {
    String text = readFrom(log, offset);
    for (String marker : READY_MARKERS) {
      if (text.contains(marker)) {
        return true;
      }
    }
    return false;
  }

  private static String readFrom(Path file, long offset) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      long from = len >= offset ? offset : 0; // rolled over: read the new file from its start
      byte[] b = new byte[(int) Math.min(Integer.MAX_VALUE - 16, len - from)];
      f.seek(from);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String diagnostics(Path systemLog, long offset, Path stdoutLog) {
    return "---- " + systemLog + " (tail) ----\n" + tailOf(readFrom(systemLog, offset), 40)
        + "---- " + stdoutLog + " (tail) ----\n" + tail(stdoutLog, 30);
  }

  static String tail(Path file, int lines) {
    try {
      return tailOf(Files.readString(file, StandardCharsets.UTF_8), lines);
    } catch (IOException e) {
      return "(" + file + " unreadable: " + e.getMessage() + ")\n";
    }
  }

  private static String tailOf(String text, int lines) {
    String[] all = text.split("\n", -1);
    int from = Math.max(0, all.length - lines - 1);
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < all.length; i++) {
      if (i == all.length - 1 && all[i].isEmpty()) {
        break;
      }
      sb.append(all[i]).append('\n');
    }
    return sb.toString();
  }

  private static long sizeOrZero(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void writePid(Path dir, long pid) throws IOException {
    Path tmp = dir.resolve(PID_FILE + ".tmp");
    Files.writeString(tmp, pid + "\n");
    move(tmp, dir.resolve(PID_FILE));
  }

  private static void deletePid(Path dir) {
    try {
      Files.deleteIfExists(dir.resolve(PID_FILE));
    } catch (IOException e) {
      // best effort
    }
  }

  private static Optional<Path> findJar(Path lib, String prefix) {
    try (Stream<Path> s = Files.list(lib)) {
      return s.filter(p -> {
        String n = p.getFileName().toString();
        return n.startsWith(prefix) && n.endsWith(".jar");
      }).sorted().findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(q);
      }
    }
  }

  private static java.io.File devNull() {
    return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static String yamlString(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String xmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
