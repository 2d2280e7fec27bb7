package io.kopek.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kopek.persistence.store.ObjectStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import kamon.Kamon;
import kamon.metric.Counter;
import kamon.metric.Histogram;
import kamon.metric.MeasurementUnit;
import kamon.metric.Metric;
import kamon.prometheus.PrometheusReporter;
import kamon.tag.TagSet;
import io.kopek.persistence.log.ResourceLog;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request and store metrics through Kamon, exposed in Prometheus text format on {@code /metrics} (the Prometheus
 * reporter runs without its own HTTP server). Kamon is started only when the system property {@code kopek.kamon}
 * is not "false"; without it, requests are still counted but {@code /metrics} has nothing to report.
 *
 * <p>Metrics: {@code kopek_apiserver_requests} (counter: verb, group, version, resource, subresource, code),
 * {@code kopek_apiserver_request_duration} (histogram, seconds: verb, group, version, resource, subresource), and,
 * polled from {@link ObjectStore#stats} every few seconds, {@code kopek_store_objects},
 * {@code kopek_store_watch_window_events} and {@code kopek_store_watchers} (gauges: resource).
 */
public final class Metrics {
  private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);
  private static final AtomicBoolean KAMON_STARTED = new AtomicBoolean();
  private static volatile PrometheusReporter reporter;

  private final boolean enabled;
  private final Metric.Counter requests;
  private final Metric.Histogram durations;
  private final Metric.Gauge objects;
  private final Metric.Gauge windowEvents;
  private final Metric.Gauge watchers;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Histogram> histograms = new ConcurrentHashMap<>();

  private Metrics(boolean enabled) {
    this.enabled = enabled;
    this.requests = Kamon.counter("kopek_apiserver_requests", "API requests by verb, resource and response code");
    this.durations = Kamon.histogram("kopek_apiserver_request_duration",
        "API request latency (until the response starts)", MeasurementUnit.time().nanoseconds());
    this.objects = Kamon.gauge("kopek_store_objects", "objects in the watch cache of a resource");
    this.windowEvents = Kamon.gauge("kopek_store_watch_window_events", "events kept for watches to resume from");
    this.watchers = Kamon.gauge("kopek_store_watchers", "open watches of a resource");
  }

  /** Metrics that only count, for tests and for servers started with {@code -Dkopek.kamon=false}. */
  public static Metrics disabled() {
    return new Metrics(false);
  }

  /**
   * Starts Kamon (once per JVM) unless {@code kopek.kamon=false}, registers the Prometheus reporter, and polls the
   * store's watch cache sizes into gauges.
   */
  public static Metrics start(ActorSystem<?> system, ObjectStore store) {
    if ("false".equalsIgnoreCase(System.getProperty("kopek.kamon", "true"))) return disabled();
    try {
      initKamon(system.settings().config());
    } catch (Throwable t) {
      LOG.warn("Kamon could not start; /metrics reports nothing: {}", t.toString());
      return disabled();
    }
    Metrics m = new Metrics(true);
    m.startListening(system);
    return m;
  }

  /**
   * Starts Kamon with the Prometheus reporter, its embedded HTTP server off. Idempotent; the launcher may call it
   * first thing in main (before Pekko starts), which is when Kamon's instrumentation attaches best.
   * {@code -Dkopek.kamon.attach=false} starts Kamon without attaching its instrumentation agent.
   */
  public static void initKamon(Config base) {
    if (!KAMON_STARTED.compareAndSet(false, true)) return;
    Config fallback = base.hasPath("kopek.metrics") ? base : base.withFallback(ConfigFactory.load());
    String tick = fallback.hasPath("kopek.metrics.tick-interval")
        ? fallback.getString("kopek.metrics.tick-interval") : "10 seconds";
    Config config = ConfigFactory.parseString("""
        kamon.prometheus.start-embedded-http-server = no
        kamon.modules.prometheus-reporter.enabled = no
        kamon.metric.tick-interval = %s
        """.formatted(tick)).withFallback(fallback);
    if ("false".equalsIgnoreCase(System.getProperty("kopek.kamon.attach", "true"))) {
      Kamon.initWithoutAttaching(config);
    } else {
      Kamon.init(config);
    }
    PrometheusReporter r = new PrometheusReporter("kamon.prometheus", config);
    Kamon.addReporter("kopek-prometheus", r);
    reporter = r;
  }

  public boolean enabled() {
    return enabled;
  }

  /** The Prometheus text exposition of everything Kamon collected up to its last tick. */
  public String scrape() {
    PrometheusReporter r = reporter;
    if (r == null) return "# kopek: metrics are disabled (kopek.kamon=false)\n";
    try {
      return r.scrapeData();
    } catch (Throwable t) {
      return "# kopek: the Prometheus reporter failed: " + t + "\n";
    }
  }

  void record(RequestInfo info, int code, long startNanos) {
    try {
      String key = info.verb + '|' + info.group + '|' + info.version + '|' + info.resource + '|' + info.subresource;
      counters.computeIfAbsent(key + '|' + code, k -> requests.withTags(tags(info).withTag("code", (long) code)))
          .increment();
      histograms.computeIfAbsent(key, k -> durations.withTags(tags(info))).record(System.nanoTime() - startNanos);
    } catch (Throwable t) {
      LOG.debug("could not record request metrics", t);
    }
  }

  private static TagSet tags(RequestInfo info) {
    return TagSet.of("verb", info.verb).withTag("group", info.group).withTag("version", info.version)
        .withTag("resource", info.resource).withTag("subresource", info.subresource);
  }

  // ---- store gauges -----------------------------------------------------------------------------------------------

  /** Resource logs publish their sizes on their member's event stream; waking a log just to measure it would cost a rebuild. */
  private void startListening(ActorSystem<?> system) {
    ActorRef<ResourceLog.Stats> listener = system.systemActorOf(Behaviors.receive(ResourceLog.Stats.class)
        .onMessage(ResourceLog.Stats.class, s -> {
          TagSet tag = TagSet.of("resource", s.resource());
          objects.withTags(tag).update(s.objects());
          windowEvents.withTags(tag).update(s.windowEvents());
          watchers.withTags(tag).update(s.watchers());
          return Behaviors.same();
        })
        .build(), "store-metrics", Props.empty());
    system.eventStream().tell(new EventStream.Subscribe<>(ResourceLog.Stats.class, listener));
  }

  void stop() {
    // The listener is a system actor: it ends with the actor system.
  }
}
