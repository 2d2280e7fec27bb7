package io.kopek.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.resource.ResourceRegistry;
import io.kopek.persistence.store.ObjectStore;
import io.kopek.persistence.store.StoreNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.ServerBinding;

/** A one-member cluster with the store ("memory") and the API server on free ports, plus a small HTTP client. */
final class TestServer implements AutoCloseable {
  final ActorTestKit kit;
  final ObjectStore store;
  final ServerBinding binding;
  final String base;
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  record Response(int code, String contentType, String body) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + code + "): " + body, e);
      }
    }

    @Override
    public String toString() {
      return code + " " + body;
    }
  }

  TestServer(String extraConfig) {
    try {
      Path dir = Files.createTempDirectory("kopek-http-test");
      var config = StoreNode.config("memory", dir, "127.0.0.1", freePort(), List.of(),
          Set.of(ObjectStore.CONTROL_PLANE_ROLE), ConfigFactory.parseString(extraConfig));
      kit = ActorTestKit.create("kopek", config);
      store = StoreNode.open(kit.system(), "memory", true, ResourceRegistry.builtin());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (Cluster.get(kit.system()).selfMember().status() != MemberStatus.up()) {
        if (System.nanoTime() > deadline) throw new AssertionError("member did not come up");
        Thread.sleep(20);
      }
      binding = ApiServer.start(kit.system(), store, "127.0.0.1", 0).toCompletableFuture().get(30, TimeUnit.SECONDS);
      base = "http://127.0.0.1:" + binding.localAddress().getPort();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  TestServer() {
    this("");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    try {
      binding.terminate(Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // shutting down anyway
    }
    kit.shutdownTestKit();
  }

  // ---- requests ---------------------------------------------------------------------------------------------------

  Response send(String method, String path, String contentType, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (contentType != null) b.header("Content-Type", contentType);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Response get(String path) {
    return send("GET", path, null, null);
  }

  Response get(String path, String accept) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept).GET().build();
    try {
      HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Response post(String path, String json) {
    return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  Response put(String path, String json) {
    return send("PUT", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  Response patch(String path, String contentType, String body) {
    return send("PATCH", path, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  Response delete(String path, String json) {
    return send("DELETE", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  void createNamespace(String name) {
    Response r = post("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
        + name + "\"}}");
    if (r.code() != 201) throw new AssertionError("namespace " + name + ": " + r);
  }

  // ---- watches ----------------------------------------------------------------------------------------------------

  /** An open watch: its lines arrive in a queue; close() hangs up. */
  final class Watch implements AutoCloseable {
    final int code;
    final String contentType;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final InputStream in;
    volatile boolean ended;

    Watch(String path) {
      HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).GET().build();
      try {
        HttpResponse<InputStream> r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        code = r.statusCode();
        contentType = r.headers().firstValue("Content-Type").orElse("");
        in = r.body();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      Thread reader = new Thread(() -> {
        try (BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          String line;
          while ((line = br.readLine()) != null) lines.add(line);
        } catch (IOException ignored) {
          // closed
        } finally {
          ended = true;
        }
      }, "watch-reader");
      reader.setDaemon(true);
      reader.start();
    }

    /** The next event, or null if none came within the timeout. */
    ObjectNode next(Duration timeout) {
      try {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return line == null ? null : (ObjectNode) Json.MAPPER.readTree(line);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    ObjectNode next() {
      ObjectNode n = next(Duration.ofSeconds(10));
      if (n == null) throw new AssertionError("no watch event within 10s");
      return n;
    }

    /** Skips bookmarks. */
    ObjectNode nextEvent() {
      while (true) {
        ObjectNode n = next();
        if (!"BOOKMARK".equals(n.path("type").asText())) return n;
      }
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException ignored) {
        // gone
      }
    }
  }

  Watch watch(String path) {
    return new Watch(path);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
