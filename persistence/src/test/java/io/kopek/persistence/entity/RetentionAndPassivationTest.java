package io.kopek.persistence.entity;

import static io.kopek.persistence.store.TestStore.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.store.ObjectStore;
import io.kopek.persistence.store.TestStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Objects under churn keep a small journal, and idle objects leave memory and come back intact. */
class RetentionAndPassivationTest {
  static final String DB = "retention";
  static ActorTestKit kit;
  static ObjectStore store;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("kopek", TestStore.memberConfig("memory:" + DB, Path.of("/tmp"), 0, List.of(),
        "pekko.cluster.sharding.passivation.default-idle-strategy.idle-entity.timeout = 1s"));
    store = TestStore.open(kit, "memory:" + DB, true);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void aNodeLikeObjectUpdatedManyTimesKeepsASmallJournal() throws Exception {
    ObjectNode current = await(store.create(CONFIGMAPS, "default", configMap("heartbeat", "beat", "0"), false));
    for (int i = 1; i <= 400; i++) {
      ObjectNode next = current.deepCopy();
      ((ObjectNode) next.get("data")).put("beat", Integer.toString(i));
      current = await(store.update(CONFIGMAPS, "default", "heartbeat", next, "", false));
    }
    String pid = CONFIGMAPS.key().of("default", "heartbeat").persistenceId();
    assertEquals("/registry/configmaps/default/heartbeat", pid);
    long events = count("select count(*) from \"event_journal\" where \"persistence_id\" = ?", pid);
    long snapshots = count("select count(*) from \"snapshot\" where \"persistence_id\" = ?", pid);
    assertTrue(events <= 200, "401 writes left " + events + " journal rows");
    // Two are kept; older ones are deleted asynchronously, a window at a time.
    assertTrue(snapshots <= 4, "snapshots kept: " + snapshots);
    assertEquals("400", Json.text(await(store.get(CONFIGMAPS, "default", "heartbeat")), "data.beat"));
  }

  @Test
  void anIdleObjectIsPassivatedAndRecoversFromSnapshotAndEvents() throws Exception {
    ObjectNode current = await(store.create(CONFIGMAPS, "default", configMap("sleeper", "n", "0"), false));
    for (int i = 1; i <= 60; i++) { // past the first snapshot, so recovery uses a snapshot plus events
      ObjectNode next = current.deepCopy();
      ((ObjectNode) next.get("data")).put("n", Integer.toString(i));
      current = await(store.update(CONFIGMAPS, "default", "sleeper", next, "", false));
    }
    String pid = CONFIGMAPS.key().of("default", "sleeper").persistenceId();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (entityIds().contains(pid)) {
      assertTrue(System.nanoTime() < deadline, "the idle entity was never passivated");
      Thread.sleep(200);
    }
    ObjectNode recovered = await(store.get(CONFIGMAPS, "default", "sleeper"));
    assertTrue(Json.same(current, recovered), "the same object, resourceVersion included: " + recovered);
    ObjectNode next = recovered.deepCopy();
    ((ObjectNode) next.get("data")).put("n", "61");
    assertEquals("61", Json.text(await(store.update(CONFIGMAPS, "default", "sleeper", next, "", false)), "data.n"));
  }

  private static Set<String> entityIds() {
    TestProbe<ShardRegion.CurrentShardRegionState> probe = kit.createTestProbe();
    ClusterSharding.get(kit.system()).shardState().tell(new GetShardRegionState(ObjectEntity.TYPE_KEY, probe.getRef()));
    Set<String> ids = new java.util.HashSet<>();
    for (ShardRegion.ShardState s : probe.receiveMessage().getShards()) ids.addAll(s.getEntityIds());
    return ids;
  }

  private static long count(String sql, String pid) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + DB, "sa", "");
        PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, pid);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
