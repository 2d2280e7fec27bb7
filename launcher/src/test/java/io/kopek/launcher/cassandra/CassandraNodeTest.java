package io.kopek.launcher.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CassandraNodeTest {

  // ---------------------------------------------------------------- fast tests, no Cassandra process

  @Test
  void defaultsMatchTheDocumentedValues(@TempDir Path dir) {
    CassandraNode.Config c = CassandraNode.Config.defaults(dir);
    assertEquals("127.0.0.1", c.address());
    assertEquals(9142, c.cqlPort());
    assertEquals(7100, c.storagePort());
    assertEquals("kopek", c.clusterName());
    assertEquals(List.of("127.0.0.1:7100"), c.seeds());
    assertEquals(512, c.heapMb());
    assertTrue(c.durableCommitlog());
    // the default seed follows the address and storage port; explicit seeds do not
    assertEquals(List.of("127.0.0.2:7200"), c.withStoragePort(7200).withAddress("127.0.0.2").seeds());
    assertEquals(List.of("10.0.0.1:7000"),
        c.withSeeds(List.of("10.0.0.1:7000")).withStoragePort(7200).seeds());
    assertThrows(IllegalArgumentException.class, () -> c.withCqlPort(7100));
    assertThrows(IllegalArgumentException.class, () -> c.withHeapMb(64));
  }

  @Test
  void yamlPutsEverythingUnderTheWorkDir(@TempDir Path dir) {
    String durable = CassandraNode.cassandraYaml(CassandraNode.Config.defaults(dir).withCqlPort(9999));
    assertTrue(durable.contains("commitlog_sync: batch"), durable);
    assertTrue(durable.contains("native_transport_port: 9999"), durable);
    assertTrue(durable.contains("- seeds: '127.0.0.1:7100'"), durable);
    for (String d : List.of("data", "commitlog", "saved_caches", "hints", "cdc_raw")) {
      assertTrue(durable.contains("'" + dir.toAbsolutePath().resolve(d) + "'"), d);
    }
    String fast = CassandraNode.cassandraYaml(CassandraNode.Config.defaults(dir).withDurableCommitlog(false));
    assertTrue(fast.contains("commitlog_sync: periodic\ncommitlog_sync_period: 10000ms"), fast);
    assertFalse(fast.contains("{{"), fast);
  }

  @Test
  void cliRejectsBadUsageAndReportsAStoppedNode(@TempDir Path dir) {
    assertEquals(2, CassandraNode.run(List.of()));
    assertEquals(2, CassandraNode.run(List.of("frobnicate")));
    assertEquals(2, CassandraNode.run(List.of("status", "--port")));
    assertEquals(2, CassandraNode.run(List.of("status", "--port", "x")));
    assertEquals(3, CassandraNode.run(List.of("status", "--dir", dir.toString())));
    assertEquals(0, CassandraNode.run(List.of("stop", "--dir", dir.toString())));
    assertTrue(CassandraNode.running(dir).isEmpty());
  }

  // ---------------------------------------------------------------- a real Cassandra

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void startsAnswersCqlAndStops(@TempDir Path dir) throws Exception {
    requireJava17AndMaven();
    Path libs = CassandraNode.resolveLibs(CassandraNode.defaultCacheDir());
    CassandraNode.Config c = CassandraNode.Config.defaults(dir)
        .withCqlPort(freePort())
        .withStoragePort(freePort())
        .withHeapMb(384);
    long t0 = System.nanoTime();
    CassandraNode node = CassandraNode.start(c, libs);
    try {
      System.err.printf("cassandra up in %.1f s (pid %d)%n", (System.nanoTime() - t0) / 1e9, node.pid());
      assertTrue(node.isAlive());
      assertEquals(c.cqlPort(), node.cqlPort());
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(c.address(), c.cqlPort()), 2000); // plain TCP
      }
      assertTrue(CassandraNode.probeCql(c.address(), c.cqlPort(), Duration.ofSeconds(5)), "CQL OPTIONS");
      assertEquals(String.valueOf(node.pid()),
          Files.readString(dir.resolve("cassandra.pid"), StandardCharsets.UTF_8).trim());
      CassandraNode found = CassandraNode.running(dir).orElseThrow();
      assertEquals(node.pid(), found.pid());
      assertEquals(c.cqlPort(), found.cqlPort());
      assertEquals(0, CassandraNode.run(List.of("status", "--dir", dir.toString())));
      assertEquals(0, CassandraNode.run(List.of("start", "--dir", dir.toString())), "already running");
      assertThrows(IllegalStateException.class, () -> CassandraNode.start(c, libs));

      long t1 = System.nanoTime();
      node.stop();
      System.err.printf("cassandra stopped in %.1f s%n", (System.nanoTime() - t1) / 1e9);
      assertFalse(node.isAlive());
      assertFalse(Files.exists(dir.resolve("cassandra.pid")));
      assertFalse(CassandraNode.probeCql(c.address(), c.cqlPort(), Duration.ofMillis(500)));
      assertEquals(3, CassandraNode.run(List.of("status", "--dir", dir.toString())));
    } finally {
      if (node.isAlive()) {
        node.kill();
      }
    }
  }

  /**
   * Outside CI a developer machine without a Java 17 or Maven skips the real-Cassandra test; in CI
   * (CI=true) their absence is a failure.
   */
  private static void requireJava17AndMaven() {
    List<String> missing = new ArrayList<>();
    String java = CassandraNode.javaCommand();
    String version = output(List.of(java, "-version"));
    if (version == null || !version.matches("(?s).*version \"17[.\"].*")) {
      missing.add("a Java 17 at " + java + " (Cassandra 5.0 runs only on 17; got: "
          + (version == null ? "nothing" : version.lines().findFirst().orElse("")) + ")");
    }
    boolean libsCached = CassandraNode.isResolved(CassandraNode.defaultCacheDir().resolve("lib"));
    if (!libsCached && output(List.of(CassandraNode.mvnCommand(), "-v")) == null) {
      missing.add("mvn (" + CassandraNode.mvnCommand() + ") to fetch cassandra-all");
    }
    if (missing.isEmpty()) {
      return;
    }
    String why = "cannot run a real Cassandra: missing " + String.join(" and ", missing);
    if ("true".equals(System.getenv("CI"))) {
      fail(why);
    }
    Assumptions.abort(why);
  }

  /** The combined output of a command that exited 0, or null. */
  private static String output(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
