package io.kopek.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of this JVM around a load, summarised: where the CPU samples are (by top frame, by thread, by
 * layer, by kopek method on the stack), fsyncs, lock contention, GC and CPU load.
 */
final class Profiler {
  private Profiler() {}

  static Recording start() throws IOException, java.text.ParseException {
    Recording r = new Recording(Configuration.getConfiguration("profile"));
    r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
    r.enable("jdk.FileForce").withThreshold(Duration.ZERO).withStackTrace();
    r.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ofMillis(1)).withStackTrace();
    r.enable("jdk.CPULoad").withPeriod(Duration.ofSeconds(1));
    r.enable("jdk.ThreadStart").withStackTrace();
    r.setName("kopek-store-benchmark");
    r.start();
    return r;
  }

  /** Layers a sample is attributed to (inclusive: a sample counts for every layer on its stack). */
  private static final Map<String, Predicate<String>> LAYERS = new LinkedHashMap<>();

  static {
    LAYERS.put("kopek code (io.kopek.persistence)", c -> c.startsWith("io.kopek.persistence"));
    LAYERS.put("H2 commit: MVStore.store, dirty B-tree pages written per JDBC commit (WRITE_DELAY=0)",
        c -> c.startsWith("org.h2.mvstore.MVStore.store"));
    LAYERS.put("H2 LOB storage (the journal's event_payload is a BLOB)", c -> c.startsWith("org.h2.mvstore.db.LobStorageMap"));
    LAYERS.put("starting threads (java.lang.Thread.start)", c -> c.startsWith("java.lang.Thread.start"));
    LAYERS.put("H2 database (org.h2)", c -> c.startsWith("org.h2"));
    LAYERS.put("Slick / pekko-persistence-jdbc", c -> c.startsWith("slick.") || c.startsWith("org.apache.pekko.persistence.jdbc"));
    LAYERS.put("Pekko persistence (typed, journal protocol)", c -> c.startsWith("org.apache.pekko.persistence")
        && !c.startsWith("org.apache.pekko.persistence.jdbc"));
    LAYERS.put("Pekko cluster sharding", c -> c.startsWith("org.apache.pekko.cluster.sharding"));
    LAYERS.put("Pekko serialization / Jackson", c -> c.startsWith("com.fasterxml.jackson")
        || c.startsWith("org.apache.pekko.serialization"));
    LAYERS.put("Pekko streams (watch relay, ask)", c -> c.startsWith("org.apache.pekko.stream"));
    LAYERS.put("benchmark driver (io.kopek.bench)", c -> c.startsWith("io.kopek.bench"));
  }

  static String summarize(Path file, double seconds, long writes) throws IOException {
    Map<String, Long> selfFrames = new HashMap<>();
    Map<String, Long> threads = new HashMap<>();
    Map<String, Long> layers = new HashMap<>();
    Map<String, Long> kopekMethods = new HashMap<>();
    Map<String, Long> fsyncSites = new HashMap<>();
    Map<String, Long> monitors = new HashMap<>();
    Map<String, Long> threadStarts = new HashMap<>();
    long started = 0;
    long samples = 0;
    long fsyncs = 0;
    Duration fsyncTime = Duration.ZERO;
    long gcs = 0;
    Duration gcPause = Duration.ZERO;
    double cpuMachine = 0;
    double cpuJvm = 0;
    int cpuSamples = 0;
    long monitorEvents = 0;
    Duration monitorTime = Duration.ZERO;

    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      String type = e.getEventType().getName();
      switch (type) {
        case "jdk.ExecutionSample" -> {
          RecordedStackTrace st = e.getStackTrace();
          if (st == null || st.getFrames().isEmpty()) continue;
          samples++;
          List<RecordedFrame> frames = st.getFrames();
          selfFrames.merge(method(frames.get(0)), 1L, Long::sum);
          var thread = e.getThread("sampledThread");
          threads.merge(threadGroup(thread == null ? "?" : thread.getJavaName()), 1L, Long::sum);
          Set<String> seenLayers = new HashSet<>();
          Set<String> seenMethods = new HashSet<>();
          for (RecordedFrame f : frames) {
            if (!f.isJavaFrame()) continue;
            String cls = f.getMethod().getType().getName();
            String m = cls + "." + f.getMethod().getName();
            for (var layer : LAYERS.entrySet()) {
              if (layer.getValue().test(m)) seenLayers.add(layer.getKey());
            }
            if (cls.startsWith("io.kopek.persistence")) seenMethods.add(method(f));
          }
          for (String l : seenLayers) layers.merge(l, 1L, Long::sum);
          for (String m : seenMethods) kopekMethods.merge(m, 1L, Long::sum);
        }
        case "jdk.FileForce" -> {
          fsyncs++;
          fsyncTime = fsyncTime.plus(e.getDuration());
          fsyncSites.merge(firstFrameOutsideJdk(e.getStackTrace()), 1L, Long::sum);
        }
        case "jdk.JavaMonitorEnter" -> {
          monitorEvents++;
          monitorTime = monitorTime.plus(e.getDuration());
          var cls = e.getClass("monitorClass");
          monitors.merge((cls == null ? "?" : cls.getName()) + " at " + firstFrameOutsideJdk(e.getStackTrace()), 1L,
              Long::sum);
        }
        case "jdk.ThreadStart" -> {
          started++;
          threadStarts.merge(threadStartSite(e.getStackTrace()), 1L, Long::sum);
        }
        case "jdk.GarbageCollection" -> {
          gcs++;
          gcPause = gcPause.plus(Duration.ofNanos(e.getLong("sumOfPauses")));
        }
        case "jdk.CPULoad" -> {
          cpuMachine += e.getFloat("machineTotal");
          cpuJvm += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
          cpuSamples++;
        }
        default -> { }
      }
    }

    StringBuilder sb = new StringBuilder();
    if (cpuSamples > 0) {
      sb.append(String.format("CPU during the profile: machine %.0f %%, this JVM %.0f %% (of %d cores).%n%n",
          100 * cpuMachine / cpuSamples, 100 * cpuJvm / cpuSamples, Machine.cores()));
    }
    sb.append(String.format("%d execution samples (every 10 ms per running thread) over %.0f s, %d writes acknowledged.%n%n",
        samples, seconds, writes));
    sb.append("**Samples by thread** (digits folded):\n\n").append(table("thread", threads, samples, 8)).append('\n');
    sb.append("**Samples by layer** (inclusive: a sample counts for every layer on its stack):\n\n")
        .append(table("layer", layers, samples, 20)).append('\n');
    sb.append("**Top frames** (self time):\n\n").append(table("method", selfFrames, samples, 20)).append('\n');
    sb.append("**kopek methods on the stack** (inclusive):\n\n").append(table("method", kopekMethods, samples, 15))
        .append('\n');
    sb.append(String.format("**Threads started** (jdk.ThreadStart): %d, %.2f per acknowledged write.%n%n", started,
        writes == 0 ? 0.0 : (double) started / writes));
    if (!threadStarts.isEmpty()) sb.append(table("started by (executor, and the kopek frame below it)", threadStarts, started, 5)).append('\n');
    sb.append(String.format("**fsync** (jdk.FileForce): %d calls, %.1f per acknowledged write, %.2f ms mean, "
            + "%.1f s in total.%n%n", fsyncs, writes == 0 ? 0.0 : (double) fsyncs / writes,
        fsyncs == 0 ? 0.0 : fsyncTime.toNanos() / 1e6 / fsyncs, fsyncTime.toNanos() / 1e9));
    if (!fsyncSites.isEmpty()) sb.append(table("fsync called from", fsyncSites, fsyncs, 5)).append('\n');
    sb.append(String.format("**Contended locks** (jdk.JavaMonitorEnter >= 1 ms): %d, %.2f s blocked in total.%n%n",
        monitorEvents, monitorTime.toNanos() / 1e9));
    if (!monitors.isEmpty()) sb.append(table("monitor", monitors, monitorEvents, 5)).append('\n');
    sb.append(String.format("**GC**: %d collections, %.0f ms of pauses.%n", gcs, gcPause.toNanos() / 1e6));
    return sb.toString();
  }

  private static String method(RecordedFrame f) {
    String cls = f.getMethod().getType().getName();
    return cls + "." + f.getMethod().getName();
  }

  private static String firstFrameOutsideJdk(RecordedStackTrace st) {
    if (st == null) return "?";
    for (RecordedFrame f : st.getFrames()) {
      if (!f.isJavaFrame()) continue;
      String cls = f.getMethod().getType().getName();
      if (cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("sun.")) continue;
      return method(f);
    }
    return st.getFrames().isEmpty() ? "?" : method(st.getFrames().get(0));
  }

  /** The frame that started the thread, and the first kopek frame below it (who caused it). */
  private static String threadStartSite(RecordedStackTrace st) {
    if (st == null || st.getFrames().isEmpty()) return "?";
    String starter = method(st.getFrames().get(0));
    for (RecordedFrame f : st.getFrames()) {
      if (f.isJavaFrame() && f.getMethod().getType().getName().startsWith("io.kopek")) {
        return starter + " ← " + method(f);
      }
    }
    return starter;
  }

  private static String threadGroup(String name) {
    return name.replaceAll("[0-9]+", "#");
  }

  private static String table(String what, Map<String, Long> counts, long total, int top) {
    List<Map.Entry<String, Long>> rows = new ArrayList<>(counts.entrySet());
    rows.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    StringBuilder sb = new StringBuilder("| " + what + " | count | share |\n|---|---:|---:|\n");
    for (int i = 0; i < Math.min(top, rows.size()); i++) {
      var r = rows.get(i);
      sb.append(String.format("| `%s` | %d | %.1f %% |%n", r.getKey(), r.getValue(),
          total == 0 ? 0.0 : 100.0 * r.getValue() / total));
    }
    return sb.toString();
  }
}
