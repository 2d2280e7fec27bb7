package io.kopek.multijvm;

import static org.junit.jupiter.api.Assertions.*;

import io.kopek.persistence.log.WatchCompletenessChecker;
import io.kopek.persistence.store.ObjectStore;
import io.kopek.persistence.store.TestStore;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;

/** List then watch misses and repeats nothing, with two members on a real Cassandra journal. */
class CassandraWatchCompletenessIT {
  private static final String SMALL_WINDOW = """
      kopek.store.watch-window.max-events = 60
      kopek.store.bookmark-interval = 200ms
      """;

  @Test
  void informersOnTwoMembersSeeEveryChangeOnceAndInOrder() throws Exception {
    String store = RealCassandra.store("watch");
    ActorTestKit a = ActorTestKit.create("kopek", TestStore.memberConfig(store, Path.of("/tmp"), 0, List.of(), SMALL_WINDOW));
    try {
      ObjectStore storeA = TestStore.open(a, store, true);
      int portA = Cluster.get(a.system()).selfMember().address().getPort().get();
      ActorTestKit b = ActorTestKit.create("kopek",
          TestStore.memberConfig(store, Path.of("/tmp"), 0, List.of("127.0.0.1:" + portA), SMALL_WINDOW));
      try {
        ObjectStore storeB = TestStore.open(b, store, false);
        WatchCompletenessChecker.Result r = new WatchCompletenessChecker(List.of(storeA, storeB), 60).run(16, 6, 40, 15_000);
        System.out.println("watch completeness on cassandra: " + r);
        assertEquals(List.of(), r.violations());
        assertTrue(r.writes() > 100, "enough churn to mean something: " + r.writes());
        assertTrue(r.expired() > 0, "the sleepy informer fell out of the window at least once");
      } finally {
        b.shutdownTestKit();
      }
    } finally {
      a.shutdownTestKit();
    }
  }
}
