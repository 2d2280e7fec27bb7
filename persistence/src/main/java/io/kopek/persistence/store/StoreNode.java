package io.kopek.persistence.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kopek.persistence.resource.ResourceRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;

/** Brings up one cluster member with the store: its configuration, the journal schema, the join, the entities. */
public final class StoreNode {
  private StoreNode() {}

  /**
   * The full configuration of a member.
   *
   * @param store "embedded", "memory[:name]" or "cassandra://..." (see {@link StoreConfig})
   * @param seeds host:port of seed members; empty: this member forms a cluster of one
   * @param extra configuration that wins over everything else
   */
  public static Config config(String store, Path dataDir, String host, int port, List<String> seeds, Set<String> roles,
      Config extra) {
    return extra
        .withFallback(ClusterSetup.member(host, port, seeds, roles))
        .withFallback(StoreConfig.forStore(store, dataDir))
        .withFallback(ConfigFactory.load());
  }

  /** Prepares the journal, joins the cluster (itself when there are no seeds) and starts the sharded store. */
  public static ObjectStore open(ActorSystem<?> system, String store, boolean formsOwnCluster, ResourceRegistry registry) {
    boolean controlPlane = Cluster.get(system).selfMember().getRoles().contains(ObjectStore.CONTROL_PLANE_ROLE);
    try {
      if (controlPlane && StoreConfig.needsJdbcSchema(store)) {
        SchemaUtils.createIfNotExists(system).toCompletableFuture().get(60, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not prepare the journal: " + e.getMessage(), e);
    }
    if (formsOwnCluster) {
      Cluster cluster = Cluster.get(system);
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    return ObjectStore.start(system, registry);
  }
}
