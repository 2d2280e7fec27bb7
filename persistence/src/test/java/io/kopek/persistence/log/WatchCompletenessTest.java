package io.kopek.persistence.log;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** List then watch misses and repeats nothing, in order, with two members sharing the embedded journal. */
class WatchCompletenessTest {
  @Test
  void informersOnTwoMembersSeeEveryChangeOnceAndInOrder() throws Exception {
    WatchCompletenessChecker.Result r =
        WatchCompletenessChecker.onTwoMembers("memory:watch-completeness", 100, 16, 6, 60, 600, 60_000);
    System.out.println("watch completeness: " + r);
    assertEquals(List.of(), r.violations());
    assertTrue(r.writes() >= 600, "enough churn to mean something: " + r.writes());
    assertTrue(r.resumes() > 20, "informers resumed many times: " + r.resumes());
    assertTrue(r.expired() > 0, "the sleepy informer fell out of the window at least once");
  }
}
