package io.kopek.bench;

/** p50, p99 and max of a set of durations, in milliseconds. */
record Percentiles(long count, double p50, double p99, double max) {
  static final Percentiles EMPTY = new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);

  static Percentiles ofNanos(LongList nanos) {
    if (nanos.size() == 0) return EMPTY;
    long[] s = nanos.sorted();
    return new Percentiles(s.length, ms(at(s, 0.50)), ms(at(s, 0.99)), ms(s[s.length - 1]));
  }

  /** Nearest-rank percentile. */
  private static long at(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
