package io.kopek.multijvm;

import static org.junit.jupiter.api.Assertions.*;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two `kopek server` processes on one Cassandra form one Pekko cluster with a `kopek agent`: a write through one
 * API server is in the next list and in a watch through the other.
 */
class ServersAndAgentIT {
  private static final Pattern LIST_RV = Pattern.compile("\"metadata\":\\{\"resourceVersion\":\"(\\d+)\"");

  @Test
  void aWriteThroughOneServerIsListedAndWatchedThroughTheOther(@TempDir Path dir) throws Exception {
    String store = RealCassandra.store("servers");
    String seed = "127.0.0.1:" + KopekProcess.freePort();
    String portB = Integer.toString(KopekProcess.freePort());
    try (KopekProcess a = KopekProcess.start(dir, "server-a", List.of("server", "--store", store,
            "--data-dir", dir.resolve("a").toString(), "--cluster-port", seed.split(":")[1], "--join", seed));
        KopekProcess b = KopekProcess.start(dir, "server-b", List.of("server", "--store", store,
            "--data-dir", dir.resolve("b").toString(), "--cluster-port", portB, "--join", seed));
        KopekProcess agent = KopekProcess.startAgent(dir, "agent", List.of("agent", "--join", seed, "--name", "node-1"),
            "kopek agent node-1 is up in the cluster")) {
      HttpResponse<String> list = b.send("GET", "/api/v1/namespaces/default/configmaps", null);
      assertEquals(200, list.statusCode(), list.body());
      Matcher m = LIST_RV.matcher(list.body());
      assertTrue(m.find(), list.body());

      BlockingQueue<String> events = new LinkedBlockingQueue<>();
      var watch = KopekProcess.HTTP.sendAsync(HttpRequest.newBuilder(
              b.uri("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + m.group(1))).build(),
          HttpResponse.BodyHandlers.ofLines());
      watch.thenAccept(r -> r.body().forEach(events::add));

      HttpResponse<String> created = a.send("POST", "/api/v1/namespaces/default/configmaps",
          "{\"metadata\":{\"name\":\"across\"},\"data\":{\"k\":\"v\"}}");
      assertEquals(201, created.statusCode(), created.body());
      HttpResponse<String> seenByB = b.send("GET", "/api/v1/namespaces/default/configmaps", null);
      assertTrue(seenByB.body().contains("\"across\""), "an acknowledged write is in the next list via the other server");

      String event = events.poll(30, TimeUnit.SECONDS);
      assertNotNull(event, "the watch through server B saw nothing");
      assertTrue(event.contains("\"type\":\"ADDED\"") && event.contains("\"across\""), event);
      watch.cancel(true);
      assertTrue(agent.tail().contains("is up in the cluster"));
    }
  }
}
