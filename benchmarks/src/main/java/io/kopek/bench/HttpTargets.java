package io.kopek.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.kopek.persistence.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletionStage;

/** Stores reached over HTTP/1.1 with keep-alive: etcd's v3 JSON gateway, and kopek's Kubernetes API. */
final class HttpTargets {
  private HttpTargets() {}

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** One client per store; it opens as many keep-alive connections as there are requests in flight. */
  static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  }

  static CompletionStage<JsonNode> send(HttpClient client, HttpRequest request, int expected) {
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
      if (r.statusCode() != expected) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        throw new IllegalStateException(request.method() + " " + request.uri().getPath() + ": HTTP " + r.statusCode()
            + " " + body.substring(0, Math.min(300, body.length())));
      }
      return parse(r.body());
    });
  }

  static JsonNode parse(byte[] body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
    }
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  /** etcd through {@code POST /v3/kv/put} on its client port (the grpc-gateway of etcd 3.4). */
  static final class Etcd implements Target {
    private final HttpClient client;
    final String endpoint;

    Etcd(HttpClient client, String endpoint) {
      this.client = client;
      this.endpoint = endpoint;
    }

    static String key(String namespace, String name) {
      return "/registry/configmaps/" + namespace + "/" + name;
    }

    @Override
    public String name() {
      return "etcd";
    }

    @Override
    public CompletionStage<Long> create(String namespace, String name, String payload) {
      return put(key(namespace, name), Payloads.json(Payloads.configMap(namespace, name, payload)));
    }

    @Override
    public CompletionStage<Long> update(String namespace, String name, String payload) {
      return create(namespace, name, payload);
    }

    /** Completes with the revision of the put. */
    CompletionStage<Long> put(String key, byte[] value) {
      String body = "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}";
      return send(client, post("/v3/kv/put", body), 200).thenApply(j -> j.path("header").path("revision").asLong());
    }

    long currentRevision() {
      String body = "{\"key\":\"" + b64("/") + "\",\"count_only\":true}";
      return send(client, post("/v3/kv/range", body), 200).toCompletableFuture().join()
          .path("header").path("revision").asLong();
    }

    HttpRequest post(String path, String body) {
      return HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(REQUEST_TIMEOUT)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
  }

  /** kopek's store behind its API server: {@code POST} to create, {@code PATCH} (merge patch) to update. */
  static final class Kopek implements Target {
    private final HttpClient client;
    final String base;
    private final String name;

    Kopek(HttpClient client, String base, String name) {
      this.client = client;
      this.base = base;
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public CompletionStage<Long> create(String namespace, String name, String payload) {
      HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces/" + namespace + "/configmaps"))
          .timeout(REQUEST_TIMEOUT).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(Payloads.json(Payloads.configMap(namespace, name, payload))))
          .build();
      return send(client, r, 201).thenApply(HttpTargets::resourceVersion);
    }

    @Override
    public CompletionStage<Long> update(String namespace, String name, String payload) {
      HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces/" + namespace + "/configmaps/" + name))
          .timeout(REQUEST_TIMEOUT).header("Content-Type", Payloads.MERGE_PATCH)
          .method("PATCH", HttpRequest.BodyPublishers.ofString(Payloads.mergePatch(payload))).build();
      return send(client, r, 200).thenApply(HttpTargets::resourceVersion);
    }

    void createNamespace(String namespace) {
      String body = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + namespace + "\"}}";
      HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces")).timeout(REQUEST_TIMEOUT)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
      send(client, r, 201).toCompletableFuture().join();
    }

    long listVersion(String namespace) {
      HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces/" + namespace + "/configmaps?limit=1"))
          .timeout(REQUEST_TIMEOUT).GET().build();
      return send(client, r, 200).toCompletableFuture().join().path("metadata").path("resourceVersion").asLong();
    }
  }

  static long resourceVersion(JsonNode object) {
    return object.path("metadata").path("resourceVersion").asLong();
  }
}
