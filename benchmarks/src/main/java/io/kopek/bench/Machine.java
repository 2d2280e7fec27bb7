package io.kopek.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the machine is and how busy it is, read from /proc and the JVM. */
final class Machine {
  private Machine() {}

  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  static String cpuModel() {
    for (String line : lines("/proc/cpuinfo")) {
      if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
    }
    return "unknown";
  }

  static String memory() {
    for (String line : lines("/proc/meminfo")) {
      if (line.startsWith("MemTotal:")) {
        long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
      }
    }
    return "unknown";
  }

  /** The kernel release, as {@code uname -r} prints it. */
  static String kernel() {
    return System.getProperty("os.version");
  }

  static String java() {
    return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
        + System.getProperty("java.vendor") + ")";
  }

  /** The 1, 5 and 15 minute load averages. */
  static String loadAverage() {
    List<String> l = lines("/proc/loadavg");
    if (l.isEmpty()) return "unknown";
    String[] f = l.get(0).split("\\s+");
    return f[0] + " " + f[1] + " " + f[2];
  }

  /** Busy and total jiffies of all CPUs since boot (first line of /proc/stat). */
  static long[] cpuTicks() {
    List<String> l = lines("/proc/stat");
    if (l.isEmpty()) return new long[] {0, 0};
    String[] f = l.get(0).trim().split("\\s+");
    long total = 0;
    long idle = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      long v = Long.parseLong(f[i]);
      total += v;
      if (i == 4 || i == 5) idle += v; // idle, iowait
    }
    return new long[] {total - idle, total};
  }

  /** Share of all CPUs busy between two {@link #cpuTicks()} samples, in percent. */
  static double busyPercent(long[] before, long[] after) {
    long total = after[1] - before[1];
    return total <= 0 ? Double.NaN : 100.0 * (after[0] - before[0]) / total;
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
