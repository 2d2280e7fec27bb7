package io.kopek.http;

import io.kopek.persistence.store.ObjectStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.coding.Coder;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.TimeoutAccess;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * The API server's request handler: health and version, metrics, discovery, then the resources. Whatever happens,
 * the answer is JSON (a Status for every failure, a 500 InternalError for anything unexpected), and every request is
 * counted and timed.
 */
public final class ApiHandler implements Function<HttpRequest, CompletionStage<HttpResponse>> {
  private static final int GZIP_THRESHOLD = 128 * 1024;
  private static final ContentType.NonBinary PROMETHEUS_TEXT =
      (ContentType.NonBinary) ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");

  private final ObjectStore store;
  private final Materializer mat;
  private final Health health;
  private final Discovery discovery;
  private final ResourceRoutes resources;
  private final Metrics metrics;

  public ApiHandler(ObjectStore store, Metrics metrics, String serverAddress) {
    this.store = store;
    this.mat = Materializer.matFromSystem(store.system());
    this.health = new Health(store);
    this.discovery = new Discovery(store.registry(), serverAddress);
    this.resources = new ResourceRoutes(store, mat);
    this.metrics = metrics;
  }

  public Metrics metrics() {
    return metrics;
  }

  /**
   * The handler as a flow for {@code bindFlow}, materialized once per connection: when the client's side of the
   * connection ends (it hung up), the watches it has open are ended too, as Go's server cancels a request's context.
   * (Pekko HTTP itself notices a vanished client only when a write fails, which a quiet watch never attempts.)
   */
  public Flow<HttpRequest, HttpResponse, ?> flow() {
    return Flow.fromMaterializer((m, attributes) -> {
      SharedKillSwitch hangUp = KillSwitches.shared("connection");
      return Flow.of(HttpRequest.class)
          .watchTermination((notUsed, done) -> {
            done.whenComplete((d, failure) -> hangUp.shutdown());
            return notUsed;
          })
          .mapAsync(1, request -> handle(request, hangUp));
    });
  }

  @Override
  public CompletionStage<HttpResponse> apply(HttpRequest request) {
    return handle(request, null);
  }

  /** @param connection ends the streams of the request's connection when the client hangs up; may be null */
  public CompletionStage<HttpResponse> handle(HttpRequest request, SharedKillSwitch connection) {
    long start = System.nanoTime();
    RequestInfo info = new RequestInfo(request.method().name());
    request.getHeader(TimeoutAccess.class).ifPresent(t -> t.timeoutAccess()
        .updateHandler(r -> StatusResponses.response(StatusResponses.timeout())));
    CompletionStage<HttpResponse> out;
    try {
      out = route(request, info, connection);
    } catch (Throwable t) {
      RequestBodies.discard(request, mat);
      out = CompletableFuture.completedFuture(StatusResponses.response(t));
    }
    return out.handle((response, failure) -> {
      HttpResponse r = failure == null ? response : StatusResponses.response(failure);
      metrics.record(info, r.status().intValue(), start);
      return compressed(request, r);
    });
  }

  /** As upstream: responses over 128 KiB are gzipped for clients that accept it (every Go client does). */
  private static HttpResponse compressed(HttpRequest request, HttpResponse response) {
    if (!(response.entity() instanceof HttpEntity.Strict strict) || strict.getData().size() < GZIP_THRESHOLD) {
      return response;
    }
    String accept = request.getHeader("Accept-Encoding").map(h -> h.value()).orElse("");
    return accept.contains("gzip") ? Coder.Gzip.encodeMessage(response) : response;
  }

  private CompletionStage<HttpResponse> route(HttpRequest request, RequestInfo info, SharedKillSwitch connection) {
    String path = request.getUri().path();
    if (path.equals("/metrics")) {
      RequestBodies.discard(request, mat);
      info.resource = "metrics";
      return CompletableFuture.completedFuture(HttpResponse.create()
          .withEntity(HttpEntities.create(PROMETHEUS_TEXT, metrics.scrape())));
    }
    CompletionStage<HttpResponse> healthResponse = health.serve(path);
    if (healthResponse != null) {
      RequestBodies.discard(request, mat);
      info.resource = "health";
      return healthResponse;
    }
    ResourcePath target = ResourcePath.parse(request.getUri().pathSegments(), store.registry());
    if (target instanceof ResourcePath.Resource r) return resources.serve(r, request, info, connection);
    RequestBodies.discard(request, mat);
    if (target instanceof ResourcePath.Other || target instanceof ResourcePath.Unknown) {
      return CompletableFuture.completedFuture(StatusResponses.response(StatusResponses.notFoundPath()));
    }
    info.resource = "discovery";
    if (!request.method().name().equals("GET")) {
      return CompletableFuture.completedFuture(StatusResponses.response(StatusResponses.methodNotAllowed()));
    }
    return CompletableFuture.completedFuture(discovery.serve(target, request));
  }
}
