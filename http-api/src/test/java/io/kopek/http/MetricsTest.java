package io.kopek.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** With Kamon on (without its agent), /metrics serves request counts, latencies and store gauges in Prometheus text. */
class MetricsTest {

  @Test
  void metricsInPrometheusFormat() {
    System.setProperty("kopek.kamon", "true");
    System.setProperty("kopek.kamon.attach", "false");
    try (TestServer s = new TestServer("""
        kopek.metrics.tick-interval = 1s
        kopek.store.stats-interval = 300ms
        """)) {
      s.createNamespace("m");
      assertEquals(201, s.post("/api/v1/namespaces/m/configmaps", RestApiTest.configMap("one", "", "1")).code());
      assertEquals(200, s.get("/api/v1/namespaces/m/configmaps").code());
      assertEquals(404, s.get("/api/v1/namespaces/m/configmaps/none").code());

      String text = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        TestServer.Response r = s.get("/metrics");
        assertEquals(200, r.code());
        assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
        text = r.body();
        if (text.contains("kopek_apiserver_requests_total") && text.contains("kopek_store_objects")
            && text.contains("code=\"404\"")) {
          break;
        }
        TestServer.sleep(300);
      }
      assertTrue(text.contains("kopek_apiserver_requests_total{"), text);
      assertTrue(text.matches("(?s).*kopek_apiserver_requests_total\\{[^}]*verb=\"POST\"[^}]*\\} .*"), text);
      assertTrue(text.matches("(?s).*kopek_apiserver_requests_total\\{[^}]*resource=\"configmaps\"[^}]*\\} .*"), text);
      assertTrue(text.contains("code=\"404\""), text);
      assertTrue(text.contains("kopek_apiserver_request_duration_seconds_bucket{"), text);
      assertTrue(text.matches("(?s).*kopek_store_objects\\{[^}]*resource=\"configmaps\"[^}]*\\} 1\\.0.*"), text);
      assertTrue(text.contains("kopek_store_watchers{"), text);
      assertTrue(text.contains("kopek_store_watch_window_events{"), text);
    } finally {
      System.setProperty("kopek.kamon", "false");
    }
  }
}
