package io.kopek.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A watch from a resourceVersion older than the store's window gets an in-stream 410 ERROR event, then ends. */
class WatchExpiredTest {

  @Test
  void watchFromATooOldVersionGetsAnExpiredErrorEvent() {
    try (TestServer s = new TestServer("kopek.store.watch-window.max-events = 5")) {
      s.createNamespace("old");
      String path = "/api/v1/namespaces/old/configmaps";
      assertEquals(201, s.post(path, RestApiTest.configMap("churn", "", "0")).code());
      String rv = s.get(path).json().path("metadata").path("resourceVersion").asText();
      for (int i = 1; i <= 20; i++) {
        assertEquals(200, s.patch(path + "/churn", "application/merge-patch+json", "{\"data\":{\"k\":\"" + i + "\"}}")
            .code());
      }
      try (TestServer.Watch w = s.watch(path + "?watch=true&resourceVersion=" + rv)) {
        assertEquals(200, w.code, "a too-old watch is still a 200: the error is in the stream");
        ObjectNode e = w.next();
        assertEquals("ERROR", e.path("type").asText(), e.toString());
        JsonNode status = e.path("object");
        assertEquals("Status", status.path("kind").asText());
        assertEquals("v1", status.path("apiVersion").asText());
        assertEquals("Failure", status.path("status").asText());
        assertEquals("Expired", status.path("reason").asText());
        assertEquals(410, status.path("code").asInt());
        assertTrue(status.path("message").asText().startsWith("too old resource version: " + rv),
            status.path("message").asText());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!w.ended && System.nanoTime() < deadline) TestServer.sleep(50);
        assertTrue(w.ended, "the stream ends after the ERROR event");
      }
      // a list from the current version still works, and so does a watch from it
      String now = s.get(path).json().path("metadata").path("resourceVersion").asText();
      try (TestServer.Watch w = s.watch(path + "?watch=true&resourceVersion=" + now)) {
        assertEquals(200, s.patch(path + "/churn", "application/merge-patch+json", "{\"data\":{\"k\":\"last\"}}")
            .code());
        ObjectNode e = w.nextEvent();
        assertEquals("MODIFIED", e.path("type").asText());
        assertEquals("last", e.path("object").path("data").path("k").asText());
      }
    }
  }
}
