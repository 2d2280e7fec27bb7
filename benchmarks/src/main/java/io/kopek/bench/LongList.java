package io.kopek.bench;

import java.util.Arrays;

/** A growable list of longs (latencies in nanoseconds, versions), without boxing. Not thread-safe. */
final class LongList {
  private long[] values = new long[256];
  private int size;

  void add(long v) {
    if (size == values.length) values = Arrays.copyOf(values, size * 2);
    values[size++] = v;
  }

  void addAll(LongList other) {
    for (int i = 0; i < other.size; i++) add(other.values[i]);
  }

  long get(int i) {
    return values[i];
  }

  int size() {
    return size;
  }

  /** Sorted copy, for percentiles. */
  long[] sorted() {
    long[] copy = Arrays.copyOf(values, size);
    Arrays.sort(copy);
    return copy;
  }
}
