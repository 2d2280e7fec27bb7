package io.kopek.multijvm;

import static org.junit.jupiter.api.Assertions.*;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An acknowledged create survives kill -9 of the process that acknowledged it. */
class DurabilityIT {
  private static final Pattern RV = Pattern.compile("\"resourceVersion\":\"(\\d+)\"");

  @Test
  void acknowledgedCreatesSurviveKill9OnTheEmbeddedStore(@TempDir Path dir) throws Exception {
    List<String> args = List.of("up", "--data-dir", dir.resolve("data").toString(), "--nodes", "0");
    assertAcknowledgedWritesSurvive(dir, args);
  }

  static void assertAcknowledgedWritesSurvive(Path dir, List<String> upArgs) throws Exception {
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    try (KopekProcess first = KopekProcess.start(dir, "first", upArgs)) {
      AtomicBoolean go = new AtomicBoolean(true);
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        int id = w;
        Thread t = new Thread(() -> {
          for (int i = 0; go.get(); i++) {
            String name = "durable-" + id + "-" + i;
            try {
              HttpResponse<String> r = first.send("POST", "/api/v1/namespaces/default/configmaps",
                  "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"i\":\"" + i + "\"}}");
              if (r.statusCode() == 201) acknowledged.put(name, rv(r.body()));
            } catch (Exception crashed) {
              return; // the server died under us: this create was never acknowledged
            }
          }
        });
        writers.add(t);
        t.start();
      }
      long until = System.currentTimeMillis() + 60_000;
      while (acknowledged.size() < 300 && System.currentTimeMillis() < until) Thread.sleep(50);
      first.kill9();
      go.set(false);
      for (Thread t : writers) t.join(30_000);
    }
    assertTrue(acknowledged.size() >= 300, "writes were acknowledged before the kill: " + acknowledged.size());

    try (KopekProcess second = KopekProcess.start(dir, "second", upArgs)) {
      List<String> lost = new ArrayList<>();
      for (String name : acknowledged.keySet()) {
        HttpResponse<String> r = second.send("GET", "/api/v1/namespaces/default/configmaps/" + name, null);
        if (r.statusCode() != 200) lost.add(name + " -> " + r.statusCode());
      }
      assertEquals(List.of(), lost, "acknowledged creates lost by kill -9");
      long highest = acknowledged.values().stream().mapToLong(Long::longValue).max().orElse(0);
      HttpResponse<String> after = second.send("POST", "/api/v1/namespaces/default/configmaps",
          "{\"metadata\":{\"name\":\"after-restart\"}}");
      assertEquals(201, after.statusCode(), after.body());
      assertTrue(rv(after.body()) > highest, "resourceVersions keep increasing after a restart");
      HttpResponse<String> list = second.send("GET", "/api/v1/namespaces/default/configmaps", null);
      for (String name : acknowledged.keySet()) assertTrue(list.body().contains("\"" + name + "\""), name + " is listed");
      int exit = second.stop();
      assertTrue(exit == 0 || exit == 143, "SIGTERM shuts down cleanly, exit " + exit + "\n" + second.tail());
    }
    assertTrue(Files.exists(dir.resolve("second.log")));
  }

  static long rv(String body) {
    Matcher m = RV.matcher(body);
    assertTrue(m.find(), body);
    return Long.parseLong(m.group(1));
  }
}
