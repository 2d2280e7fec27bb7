package io.kopek.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kopek.persistence.store.ObjectStore;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;

/**
 * The Kubernetes API server of kopek on Pekko HTTP.
 *
 * <pre>{@code
 * ApiServer.start(system, store, "0.0.0.0", 6443).thenAccept(b -> log.info("serving on {}", b.localAddress()));
 * }</pre>
 *
 * Settings ({@code kopek.http}, {@code kopek.metrics} in the configuration, defaults in this module's
 * reference.conf): the request timeout (60 s, answered with a 504 Timeout Status) and the idle timeout of a
 * connection (long, because a quiet watch sends nothing). Metrics: see {@link Metrics}.
 */
public final class ApiServer {
  private ApiServer() {}

  /** Binds the API server; metrics through Kamon unless {@code -Dkopek.kamon=false}. */
  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, ObjectStore store, String host, int port) {
    ApiHandler handler = new ApiHandler(store, Metrics.start(system, store), host + ":" + port);
    return Http.get(system).newServerAt(host, port).withSettings(serverSettings(system)).bindFlow(handler.flow());
  }

  /** The request handler (without Kamon), e.g. to bind it elsewhere or call it directly in tests. */
  public static ApiHandler handler(ObjectStore store) {
    return new ApiHandler(store, Metrics.disabled(), "127.0.0.1:6443");
  }

  /** The same handler as a routing-DSL Route, to compose with other routes. */
  public static Route route(ObjectStore store) {
    return Directives.handle(handler(store));
  }

  /** Pekko HTTP server settings for the API: kopek's timeouts, lenient URI parsing, no Server header. */
  public static ServerSettings serverSettings(ActorSystem<?> system) {
    Config config = system.settings().config();
    String requestTimeout = config.hasPath("kopek.http.request-timeout")
        ? config.getString("kopek.http.request-timeout") : "60s";
    String idleTimeout = config.hasPath("kopek.http.idle-timeout")
        ? config.getString("kopek.http.idle-timeout") : "65 minutes";
    Config overrides = ConfigFactory.parseString("""
        pekko.http.server {
          request-timeout = %s
          idle-timeout = %s
          server-header = ""
          parsing.uri-parsing-mode = relaxed
          # the API enforces upstream's 3 MiB per request itself; this only bounds what is drained before a 413
          parsing.max-content-length = 64m
        }
        """.formatted(requestTimeout, idleTimeout));
    return ServerSettings.create(overrides.withFallback(config));
  }
}
