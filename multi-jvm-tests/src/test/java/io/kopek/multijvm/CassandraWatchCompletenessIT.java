package io.kopek.multijvm;

import static org.junit.jupiter.api.Assertions.*;

import io.kopek.persistence.log.WatchCompletenessChecker;
import java.util.List;
import org.junit.jupiter.api.Test;

/** List then watch misses and repeats nothing, with two members on a real Cassandra journal. */
class CassandraWatchCompletenessIT {
  @Test
  void informersOnTwoMembersSeeEveryChangeOnceAndInOrder() throws Exception {
    WatchCompletenessChecker.Result r =
        WatchCompletenessChecker.onTwoMembers(RealCassandra.store("watch"), 60, 16, 6, 40, 400, 60_000);
    System.out.println("watch completeness on cassandra: " + r);
    assertEquals(List.of(), r.violations());
    assertTrue(r.writes() >= 400, "enough churn to mean something: " + r.writes());
    assertTrue(r.expired() > 0, "the sleepy informer fell out of the window at least once");
  }
}
