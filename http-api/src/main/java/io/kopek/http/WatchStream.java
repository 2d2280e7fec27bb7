package io.kopek.http;

import io.kopek.persistence.log.WatchMessage;
import io.kopek.persistence.log.WatchQuery;
import io.kopek.persistence.resource.ResourceType;
import io.kopek.persistence.store.ObjectStore;
import io.kopek.persistence.store.StoreError;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * A watch as a chunked HTTP response: one {@code {"type":...,"object":...}} line per event, one chunk (and so one
 * flush) per line. The store's watch ends it with a Closed message, which goes out as an ERROR event carrying the
 * Status; the timeout ends it quietly, as upstream does. Cancelling the stream (client gone, timeout) cancels the
 * store watch.
 */
public final class WatchStream {
  /** Upstream's --min-request-timeout: a watch without timeoutSeconds lasts between 1x and 2x this. */
  static final Duration MIN_REQUEST_TIMEOUT = Duration.ofMinutes(30);

  private WatchStream() {}

  /** The timeout of a watch: timeoutSeconds when given, else a random 30-60 minutes. */
  static Duration timeout(Long timeoutSeconds) {
    if (timeoutSeconds != null && timeoutSeconds > 0) return Duration.ofSeconds(timeoutSeconds);
    long min = MIN_REQUEST_TIMEOUT.toMillis();
    return Duration.ofMillis(min + ThreadLocalRandom.current().nextLong(min));
  }

  /** @param connection ends the watch when the client hangs up (see {@link ApiHandler#flow()}); may be null */
  static HttpResponse response(ObjectStore store, ResourceType type, WatchQuery query, Duration timeout,
      SharedKillSwitch connection) {
    Source<ByteString, NotUsed> events = source(store, type, query, timeout);
    if (connection != null) events = events.via(connection.<ByteString>flow());
    return HttpResponse.create().withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_JSON, events));
  }

  public static Source<ByteString, NotUsed> source(ObjectStore store, ResourceType type, WatchQuery query,
      Duration timeout) {
    return store.watch(type, query)
        .filter(m -> !(m instanceof WatchMessage.Started))
        .map(m -> encode(type, m))
        .takeWithin(timeout)
        // A failed watch (e.g. a watcher too slow for its buffer) just ends; the client watches again.
        .recoverWithRetries(1, Throwable.class, Source::empty);
  }

  static ByteString encode(ResourceType type, WatchMessage m) {
    byte[] line = JsonResponses.write(g -> {
      g.writeStartObject();
      if (m instanceof WatchMessage.Event e) {
        g.writeStringField("type", e.type());
        g.writeFieldName("object");
        g.writeTree(JsonResponses.withTypeMeta(e.object(), type));
      } else if (m instanceof WatchMessage.Bookmark b) {
        g.writeStringField("type", "BOOKMARK");
        g.writeObjectFieldStart("object");
        g.writeStringField("kind", type.kind());
        g.writeStringField("apiVersion", type.apiVersion());
        g.writeObjectFieldStart("metadata");
        g.writeStringField("resourceVersion", Long.toString(b.resourceVersion()));
        g.writeEndObject();
        g.writeEndObject();
      } else if (m instanceof WatchMessage.Closed c) {
        g.writeStringField("type", "ERROR");
        g.writeFieldName("object");
        StoreError error = c.error() != null ? c.error() : StoreError.internal("the watch ended");
        StatusResponses.writeStatus(g, error);
      } else {
        throw new IllegalArgumentException("unexpected watch message " + m);
      }
      g.writeEndObject();
      g.writeRaw('\n');
    });
    return ByteString.fromArrayUnsafe(line);
  }
}
