package io.kopek.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.kopek.persistence.log.ListQuery;
import io.kopek.persistence.log.WatchMessage;
import io.kopek.persistence.log.WatchQuery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

/** The three ways a store is watched here: kopek's Java API, etcd's gateway, kopek's API server. */
final class WatchSides {
  private WatchSides() {}

  /** {@code ObjectStore.watch} as a Pekko Streams Source, one stream per watcher. */
  static WatchBench.Side kopekStore(KopekStoreTarget target) {
    return new WatchBench.Side() {
      @Override
      public Target target() {
        return target;
      }

      @Override
      public long currentVersion(String namespace) {
        try {
          return target.store().list(target.configMaps(), ListQuery.all(namespace)).toCompletableFuture()
              .get(30, TimeUnit.SECONDS).resourceVersion();
        } catch (Exception e) {
          throw new IllegalStateException("list failed", e);
        }
      }

      @Override
      public AutoCloseable watch(String namespace, long from, WatchBench.Receiver receiver, Runnable started) {
        UniqueKillSwitch kill = target.store().watch(target.configMaps(), WatchQuery.from(namespace, from))
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.foreach(m -> {
              long now = System.nanoTime();
              if (m instanceof WatchMessage.Event e) receiver.received(e.resourceVersion(), now);
              else if (m instanceof WatchMessage.Started) started.run();
            }), Keep.left())
            .run(target.store().system());
        return kill::shutdown;
      }
    };
  }

  /** etcd's {@code POST /v3/watch}: a stream of JSON lines, each with a batch of events. */
  static WatchBench.Side etcd(HttpTargets.Etcd target, HttpClient client) {
    return new WatchBench.Side() {
      @Override
      public Target target() {
        return target;
      }

      @Override
      public long currentVersion(String namespace) {
        return target.currentRevision();
      }

      @Override
      public AutoCloseable watch(String namespace, long from, WatchBench.Receiver receiver, Runnable started) {
        String prefix = HttpTargets.Etcd.key(namespace, "");
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        end[end.length - 1]++;
        String body = "{\"create_request\":{\"key\":\"" + HttpTargets.b64(prefix) + "\",\"range_end\":\""
            + HttpTargets.b64(end) + "\",\"start_revision\":" + (from + 1) + "}}";
        LineWatcher w = new LineWatcher((line, now) -> {
          JsonNode result = HttpTargets.parse(line.getBytes(StandardCharsets.UTF_8)).path("result");
          if (result.path("created").asBoolean(false)) started.run();
          for (JsonNode ev : result.path("events")) receiver.received(ev.path("kv").path("mod_revision").asLong(), now);
        }, null);
        HttpRequest req = HttpRequest.newBuilder(URI.create(target.endpoint + "/v3/watch"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        client.sendAsync(req, HttpResponse.BodyHandlers.fromLineSubscriber(w));
        return w::cancel;
      }
    };
  }

  /** kopek's {@code GET ...?watch=true}: one JSON line per event. */
  static WatchBench.Side kopekHttp(HttpTargets.Kopek target, HttpClient client) {
    return new WatchBench.Side() {
      @Override
      public Target target() {
        return target;
      }

      @Override
      public long currentVersion(String namespace) {
        return target.listVersion(namespace);
      }

      @Override
      public AutoCloseable watch(String namespace, long from, WatchBench.Receiver receiver, Runnable started) {
        LineWatcher w = new LineWatcher((line, now) -> {
          JsonNode ev = HttpTargets.parse(line.getBytes(StandardCharsets.UTF_8));
          String type = ev.path("type").asText();
          if (type.equals("ADDED") || type.equals("MODIFIED") || type.equals("DELETED")) {
            receiver.received(HttpTargets.resourceVersion(ev.path("object")), now);
          }
        }, started); // the body starts (headers received) once the store watch is set up
        HttpRequest req = HttpRequest.newBuilder(URI.create(target.base + "/api/v1/namespaces/" + namespace
            + "/configmaps?watch=true&resourceVersion=" + from)).GET().build();
        client.sendAsync(req, HttpResponse.BodyHandlers.fromLineSubscriber(w));
        return w::cancel;
      }
    };
  }

  /** Receives a streamed body line by line; the arrival time is taken before the line is parsed. */
  static final class LineWatcher implements Flow.Subscriber<String> {
    private final BiConsumer<String, Long> onLine;
    private final Runnable onSubscribed;
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    LineWatcher(BiConsumer<String, Long> onLine, Runnable onSubscribed) {
      this.onLine = onLine;
      this.onSubscribed = onSubscribed;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (cancelled) {
        s.cancel();
        return;
      }
      s.request(Long.MAX_VALUE);
      if (onSubscribed != null) onSubscribed.run();
    }

    @Override
    public void onNext(String line) {
      long now = System.nanoTime();
      if (!line.isBlank()) onLine.accept(line, now);
    }

    @Override
    public void onError(Throwable t) {
      if (!cancelled) System.err.println("watch stream failed: " + t);
    }

    @Override
    public void onComplete() {
      // the server ended the watch; the benchmark counts what was delivered
    }

    void cancel() {
      cancelled = true;
      Flow.Subscription s = subscription;
      if (s != null) s.cancel();
    }
  }
}
