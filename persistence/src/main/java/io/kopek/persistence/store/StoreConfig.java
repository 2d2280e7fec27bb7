package io.kopek.persistence.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal configuration for a store URI:
 * <ul>
 *   <li>{@code embedded} (default): pekko-persistence-jdbc on an H2 database file under the data dir. It needs no
 *       server, starts in a second, and a committed write is in the file before it is acknowledged.</li>
 *   <li>{@code memory[:name]}: the same journal on an in-memory H2 database, for tests that don't need
 *       durability; members in one JVM naming the same database share it.</li>
 *   <li>{@code cassandra://host:port[,host:port...][/keyspace][?replication=N]}: pekko-persistence-cassandra,
 *       keyspaces ({@code kopek} and {@code kopek_snapshot} by default) and tables created on start.</li>
 * </ul>
 */
public final class StoreConfig {
  private StoreConfig() {}

  public static Config forStore(String store, Path dataDir) {
    if (store == null || store.isEmpty() || store.equals("embedded")) {
      Path db = dataDir.resolve("store").resolve("kopek").toAbsolutePath();
      // WRITE_DELAY=0: every commit reaches the file before the write is acknowledged (survives kill -9).
      return jdbc("jdbc:h2:file:" + db + ";WRITE_DELAY=0;MAX_COMPACT_TIME=2000");
    }
    if (store.equals("memory") || store.startsWith("memory:")) {
      // "memory:NAME" lets several members in one JVM share one database; plain "memory" is private.
      String name = store.equals("memory") ? "kopek-" + System.nanoTime() : store.substring("memory:".length());
      return jdbc("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    }
    if (store.startsWith("cassandra://")) return cassandra(URI.create(store));
    throw new IllegalArgumentException("unknown store \"" + store + "\": use embedded, memory or cassandra://host:port");
  }

  /** Whether the journal tables must be created by kopek (the JDBC journal does not create them itself). */
  public static boolean needsJdbcSchema(String store) {
    return store == null || store.isEmpty() || store.equals("embedded") || store.startsWith("memory");
  }

  private static Config jdbc(String url) {
    return ConfigFactory.parseString("""
        pekko.persistence.journal.plugin = "jdbc-journal"
        pekko.persistence.snapshot-store.plugin = "jdbc-snapshot-store"
        pekko-persistence-jdbc.shared-databases.slick {
          profile = "slick.jdbc.H2Profile$"
          db {
            url = "%s"
            user = "sa"
            password = ""
            driver = "org.h2.Driver"
            numThreads = 8
            maxConnections = 8
            minConnections = 2
          }
        }
        jdbc-journal.use-shared-db = "slick"
        jdbc-snapshot-store.use-shared-db = "slick"
        jdbc-read-journal.use-shared-db = "slick"
        kopek.store.read-journal = "jdbc-read-journal"
        """.formatted(url));
  }

  private static Config cassandra(URI uri) {
    List<String> points = new ArrayList<>();
    for (String hp : uri.getAuthority().split(",")) points.add("\"" + hp + "\"");
    String keyspace = uri.getPath() == null || uri.getPath().length() <= 1 ? "kopek" : uri.getPath().substring(1);
    int replication = 1;
    if (uri.getQuery() != null) {
      for (String kv : uri.getQuery().split("&")) {
        if (kv.startsWith("replication=")) replication = Integer.parseInt(kv.substring("replication=".length()));
      }
    }
    return ConfigFactory.parseString("""
        pekko.persistence.journal.plugin = "pekko.persistence.cassandra.journal"
        pekko.persistence.snapshot-store.plugin = "pekko.persistence.cassandra.snapshot"
        pekko.persistence.cassandra {
          journal {
            keyspace = "%s"
            keyspace-autocreate = true
            tables-autocreate = true
            replication-factor = %d
          }
          snapshot {
            keyspace = "%s_snapshot"
            keyspace-autocreate = true
            tables-autocreate = true
            replication-factor = %d
          }
          events-by-tag.enabled = false
        }
        datastax-java-driver {
          basic.contact-points = [%s]
          basic.load-balancing-policy.local-datacenter = "datacenter1"
          basic.request.consistency = QUORUM
          basic.request.timeout = 10 seconds
          advanced.connection.init-query-timeout = 10 seconds
          advanced.control-connection.timeout = 10 seconds
          advanced.control-connection.schema-agreement.timeout = 30 seconds
          # Snapshots stand in for deleted events, so they are written and read at QUORUM like the events.
          profiles.pekko-persistence-cassandra-snapshot-profile.basic.request.consistency = QUORUM
          advanced.metadata.schema.debouncer.window = 10 milliseconds
          advanced.reconnect-on-init = true
        }
        kopek.store.read-journal = "pekko.persistence.cassandra.query"
        """.formatted(keyspace, replication, keyspace, replication, String.join(",", points)));
  }
}
