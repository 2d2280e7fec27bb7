package io.kopek.multijvm;

import io.kopek.launcher.cassandra.CassandraNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * One real Cassandra 5.0 (from the cassandra-all jars) for the whole test run, on free ports, stopped at JVM exit.
 * Each test uses its own keyspace. Skipped on a laptop without Java 17 or Maven; never skipped when CI=true.
 */
final class RealCassandra {
  private static CassandraNode node;

  private RealCassandra() {}

  /** The store URI of a keyspace on the shared node, starting the node on first use. */
  static synchronized String store(String keyspace) throws Exception {
    if (node == null) {
      boolean ci = "true".equals(System.getenv("CI"));
      boolean java17 = Files.isExecutable(Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java"));
      if (!ci) Assumptions.assumeTrue(java17, "Cassandra 5.0 needs Java 17 at /usr/lib/jvm/java-17-openjdk-amd64");
      Path dir = Files.createTempDirectory("kopek-cassandra-");
      CassandraNode.Config config = CassandraNode.Config.defaults(dir)
          .withCqlPort(KopekProcess.freePort())
          .withStoragePort(KopekProcess.freePort())
          .withDurableCommitlog(true);
      node = CassandraNode.start(config, CassandraNode.resolveLibs(CassandraNode.defaultCacheDir()));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> node.stop()));
    }
    return "cassandra://127.0.0.1:" + node.cqlPort() + "/" + keyspace;
  }
}
