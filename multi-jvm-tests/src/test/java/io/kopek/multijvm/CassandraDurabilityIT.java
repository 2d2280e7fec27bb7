package io.kopek.multijvm;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An acknowledged create survives kill -9 of the kopek process, on a real Cassandra. */
class CassandraDurabilityIT {
  @Test
  void acknowledgedCreatesSurviveKill9OnCassandra(@TempDir Path dir) throws Exception {
    String store = RealCassandra.store("durability");
    DurabilityIT.assertAcknowledgedWritesSurvive(dir,
        List.of("up", "--data-dir", dir.resolve("data").toString(), "--nodes", "0", "--store", store));
  }
}
