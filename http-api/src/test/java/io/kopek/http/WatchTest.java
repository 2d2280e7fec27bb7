package io.kopek.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.resource.ResourceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Watches over HTTP: list-then-watch completeness and order, bookmarks, timeouts, one-object watches, hang-ups. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchTest {
  TestServer s;

  @BeforeAll
  void start() {
    s = new TestServer("kopek.store.bookmark-interval = 300ms");
    s.createNamespace("w");
    s.createNamespace("w2");
  }

  @AfterAll
  void stop() {
    s.close();
  }

  private String cm(String name, String value) {
    return RestApiTest.configMap(name, "\"watch\":\"yes\"", value);
  }

  @Test
  void listThenWatchGetsExactlyTheLaterEventsInOrder() {
    s.createNamespace("order");
    String path = "/api/v1/namespaces/order/configmaps";
    for (int i = 0; i < 3; i++) assertEquals(201, s.post(path, cm("before-" + i, "x")).code());
    JsonNode list = s.get(path).json();
    String rv = list.path("metadata").path("resourceVersion").asText();
    assertEquals(3, list.path("items").size());

    try (TestServer.Watch w = s.watch(path + "?watch=true&resourceVersion=" + rv)) {
      assertEquals(200, w.code);
      assertTrue(w.contentType.startsWith("application/json"), w.contentType);
      assertEquals(201, s.post(path, cm("after-a", "1")).code());
      assertEquals(201, s.post(path, cm("after-b", "1")).code());
      // a change in another namespace is not seen here
      assertEquals(201, s.post("/api/v1/namespaces/w2/configmaps", cm("elsewhere", "1")).code());
      assertEquals(200, s.patch(path + "/before-1", "application/merge-patch+json", "{\"data\":{\"k\":\"y\"}}").code());
      assertEquals(200, s.delete(path + "/before-2").code());

      List<String> seen = new ArrayList<>();
      long lastRv = Long.parseLong(rv);
      for (int i = 0; i < 4; i++) {
        ObjectNode e = w.nextEvent();
        JsonNode obj = e.path("object");
        assertEquals("ConfigMap", obj.path("kind").asText());
        assertEquals("v1", obj.path("apiVersion").asText());
        long eventRv = Long.parseLong(obj.path("metadata").path("resourceVersion").asText());
        assertTrue(eventRv > lastRv, "resourceVersions increase: " + eventRv + " after " + lastRv);
        lastRv = eventRv;
        seen.add(e.path("type").asText() + " " + obj.path("metadata").path("name").asText());
      }
      assertEquals(List.of("ADDED after-a", "ADDED after-b", "MODIFIED before-1", "DELETED before-2"), seen);
      ObjectNode extra = w.next(Duration.ofMillis(800));
      while (extra != null && "BOOKMARK".equals(extra.path("type").asText())) extra = w.next(Duration.ofMillis(800));
      assertNull(extra, "no further events");
    }
  }

  @Test
  void watchFromZeroStartsWithTheCurrentState() {
    String path = "/api/v1/namespaces/w2/configmaps";
    assertEquals(201, s.post(path, cm("zero-a", "1")).code());
    try (TestServer.Watch w = s.watch(path + "?watch=1&labelSelector=watch%3Dyes&resourceVersion=0")) {
      List<String> names = new ArrayList<>();
      ObjectNode e;
      while ((e = w.next(Duration.ofSeconds(2))) != null) {
        if (e.path("type").asText().equals("BOOKMARK")) break;
        assertEquals("ADDED", e.path("type").asText());
        names.add(e.path("object").path("metadata").path("name").asText());
      }
      assertTrue(names.contains("zero-a"), names.toString());
    }
  }

  @Test
  void bookmarksCarryTheKindAndAResourceVersion() {
    try (TestServer.Watch w = s.watch("/apis/apps/v1/namespaces/w/deployments?watch=true&allowWatchBookmarks=true")) {
      ObjectNode e = w.next(Duration.ofSeconds(10));
      while (e != null && !e.path("type").asText().equals("BOOKMARK")) e = w.next(Duration.ofSeconds(10));
      assertTrue(e != null, "a bookmark arrives");
      JsonNode o = e.path("object");
      assertEquals("Deployment", o.path("kind").asText());
      assertEquals("apps/v1", o.path("apiVersion").asText());
      assertTrue(o.path("metadata").path("resourceVersion").isTextual(), o.toString());
    }
  }

  @Test
  void timeoutSecondsEndsTheStream() {
    try (TestServer.Watch w = s.watch("/api/v1/namespaces/w/configmaps?watch=true&timeoutSeconds=1&resourceVersion="
        + s.get("/api/v1/namespaces/w/configmaps").json().path("metadata").path("resourceVersion").asText())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!w.ended && System.nanoTime() < deadline) TestServer.sleep(50);
      assertTrue(w.ended, "the server ended the watch");
    }
  }

  @Test
  void watchOneObjectByFieldSelector() {
    String path = "/api/v1/namespaces/w/configmaps";
    assertEquals(201, s.post(path, cm("single", "1")).code());
    assertEquals(201, s.post(path, cm("single-other", "1")).code());
    String rv = s.get(path + "?fieldSelector=metadata.name%3Dsingle").json().path("metadata").path("resourceVersion")
        .asText();
    try (TestServer.Watch w = s.watch(path + "?watch=true&fieldSelector=metadata.name%3Dsingle&resourceVersion=" + rv)) {
      assertEquals(200, s.patch(path + "/single-other", "application/merge-patch+json", "{\"data\":{\"k\":\"2\"}}")
          .code());
      assertEquals(200, s.delete(path + "/single").code());
      ObjectNode e = w.nextEvent();
      assertEquals("DELETED", e.path("type").asText());
      assertEquals("single", e.path("object").path("metadata").path("name").asText());
    }
  }

  @Test
  void badSelectorIsA400BeforeTheStream() {
    TestServer.Response r = s.get("/api/v1/namespaces/w/configmaps?watch=true&fieldSelector=spec.nope%3D1");
    assertEquals(400, r.code(), r.body());
    assertEquals("BadRequest", r.json().path("reason").asText());
  }

  @Test
  void hangingUpCancelsTheStoreWatch() throws Exception {
    ResourceType secrets = s.store.registry().byPath("", "v1", "secrets").orElseThrow();
    try (java.net.Socket socket = rawWatch("/api/v1/namespaces/w/secrets?watch=true", false)) {
      awaitWatchers(secrets, 1);
    }
    // nothing is written to the dead connection: the hang-up alone must end the store watch
    awaitWatchers(secrets, 0);
  }

  @Test
  void aClientSayingConnectionCloseStillGetsItsEvents() throws Exception {
    ResourceType quotas = s.store.registry().byPath("", "v1", "resourcequotas").orElseThrow();
    try (java.net.Socket socket = rawWatch("/api/v1/namespaces/w/resourcequotas?watch=true", true)) {
      awaitWatchers(quotas, 1);
      TestServer.sleep(300);
      assertEquals(201, s.post("/api/v1/namespaces/w/resourcequotas", "{\"metadata\":{\"name\":\"q\"}}").code());
      socket.setSoTimeout(10_000);
      StringBuilder seen = new StringBuilder();
      byte[] buf = new byte[4096];
      int n;
      while (!seen.toString().contains("\"type\":\"ADDED\"") && (n = socket.getInputStream().read(buf)) > 0) {
        seen.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
      }
      assertTrue(seen.toString().contains("\"type\":\"ADDED\""), seen.toString());
    }
    awaitWatchers(quotas, 0);
  }

  @Test
  void timeoutReleasesTheStoreWatch() {
    ResourceType limitRanges = s.store.registry().byPath("", "v1", "limitranges").orElseThrow();
    try (TestServer.Watch w = s.watch("/api/v1/namespaces/w/limitranges?watch=true&timeoutSeconds=1")) {
      awaitWatchers(limitRanges, 1);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!w.ended && System.nanoTime() < deadline) TestServer.sleep(50);
      assertTrue(w.ended);
    }
    awaitWatchers(limitRanges, 0);
  }

  /** A watch on a plain socket, read up to the status line. */
  private java.net.Socket rawWatch(String path, boolean connectionClose) throws Exception {
    java.net.Socket socket = new java.net.Socket("127.0.0.1", s.binding.localAddress().getPort());
    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n"
        + (connectionClose ? "Connection: close\r\n" : "") + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    byte[] head = socket.getInputStream().readNBytes(12);
    assertEquals("HTTP/1.1 200", new String(head, java.nio.charset.StandardCharsets.US_ASCII));
    return socket;
  }

  private void awaitWatchers(ResourceType t, int expected) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (watchers(t) != expected && System.nanoTime() < deadline) TestServer.sleep(50);
    assertEquals(expected, watchers(t), "open store watches of " + t.plural());
  }

  private int watchers(ResourceType t) {
    try {
      return s.store.stats(t).toCompletableFuture().get(10, TimeUnit.SECONDS).watchers();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
