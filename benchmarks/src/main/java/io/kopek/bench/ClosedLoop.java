package io.kopek.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * N writers, each an independent chain of asynchronous operations: a writer issues its next operation when the
 * previous one completed. Operations completed before the ramp-up ends are not counted; latencies are those of
 * operations started in the measured window, throughput counts operations completed inside it.
 */
final class ClosedLoop {
  private ClosedLoop() {}

  /** One operation of one writer; seq counts that writer's operations from 0. */
  interface Op {
    CompletionStage<?> call(int writer, long seq);
  }

  /** @param label e.g. "create" */
  record Result(String target, String label, int writers, long ops, double seconds, double throughput,
      Percentiles latency, long errors, String firstError, double cpuBusy, int stuck) {}

  static Result run(String target, String label, int writers, Duration ramp, Duration measure, Op op) {
    long start = System.nanoTime();
    long measureStart = start + ramp.toNanos();
    long measureEnd = measureStart + measure.toNanos();
    CountDownLatch done = new CountDownLatch(writers);
    Chain[] chains = new Chain[writers];
    for (int w = 0; w < writers; w++) chains[w] = new Chain(w, op, measureStart, measureEnd, done);
    for (Chain c : chains) c.next();
    sleepUntil(measureStart);
    long[] cpuBefore = Machine.cpuTicks();
    sleepUntil(measureEnd);
    long[] cpuAfter = Machine.cpuTicks();
    int stuck = 0;
    try {
      // every writer finishes its last operation (bounded by the store's own timeouts)
      if (!done.await(60, TimeUnit.SECONDS)) stuck = (int) done.getCount();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    LongList latencies = new LongList();
    long ops = 0;
    long errors = 0;
    String firstError = null;
    for (Chain c : chains) {
      synchronized (c) {
        latencies.addAll(c.latencies);
        ops += c.completedInWindow;
        errors += c.errors;
        if (firstError == null) firstError = c.firstError;
      }
    }
    double seconds = measure.toNanos() / 1e9;
    return new Result(target, label, writers, ops, seconds, ops / seconds, Percentiles.ofNanos(latencies), errors,
        firstError, Machine.busyPercent(cpuBefore, cpuAfter), stuck);
  }

  static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    return t;
  }

  /** One writer. Its fields are touched by one operation at a time; the monitor publishes them at the end. */
  private static final class Chain {
    private final int writer;
    private final Op op;
    private final long measureStart;
    private final long measureEnd;
    private final CountDownLatch done;
    private final LongList latencies = new LongList();
    private long seq;
    private long completedInWindow;
    private long errors;
    private String firstError;

    Chain(int writer, Op op, long measureStart, long measureEnd, CountDownLatch done) {
      this.writer = writer;
      this.op = op;
      this.measureStart = measureStart;
      this.measureEnd = measureEnd;
      this.done = done;
    }

    /** Issues operations until the window closes; loops instead of recursing when one completes at once. */
    void next() {
      while (true) {
        long t0 = System.nanoTime();
        if (t0 >= measureEnd) {
          done.countDown();
          return;
        }
        CompletableFuture<?> f;
        try {
          f = op.call(writer, seq++).toCompletableFuture();
        } catch (RuntimeException e) {
          f = CompletableFuture.failedFuture(e);
        }
        if (f.isDone()) {
          record(t0, f.isCompletedExceptionally() ? failure(f) : null);
          continue;
        }
        f.whenComplete((r, e) -> {
          record(t0, e);
          next();
        });
        return;
      }
    }

    private synchronized void record(long t0, Throwable failure) {
      long t1 = System.nanoTime();
      if (failure != null) {
        errors++;
        if (firstError == null) firstError = String.valueOf(unwrap(failure));
        return;
      }
      if (t0 >= measureStart) latencies.add(t1 - t0);
      if (t1 >= measureStart && t1 < measureEnd) completedInWindow++;
    }

    private static Throwable failure(CompletableFuture<?> f) {
      try {
        f.join();
        return null;
      } catch (RuntimeException e) {
        return e;
      }
    }
  }
}
