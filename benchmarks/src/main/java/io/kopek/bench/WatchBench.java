package io.kopek.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watch delivery latency: W watchers on one namespace while writers create and update objects in it at a steady
 * rate (open loop: a write is issued every 1/rate s whatever the previous ones do). For every (watcher, write)
 * pair, the latency is the time from the write's acknowledgement (its CompletionStage completing at the writer) to
 * the watcher receiving the event; events are matched to writes by resourceVersion (etcd: revision).
 */
final class WatchBench {
  private WatchBench() {}

  /** How one store is watched. */
  interface Side {
    Target target();

    /** The version to watch from (a list's resourceVersion, etcd's current revision). */
    long currentVersion(String namespace);

    /**
     * Starts one watcher from {@code fromVersion}; it calls {@code started} once it is subscribed and
     * {@code receiver} for every event. Returns what stops it.
     */
    AutoCloseable watch(String namespace, long fromVersion, Receiver receiver, Runnable started);
  }

  interface Receiver {
    void received(long version, long nanoTime);
  }

  record Result(String target, int watchers, int rate, double seconds, long writes, long writeErrors,
      Percentiles writeLatency, long expected, long delivered, long beforeAck, Percentiles fromAck,
      Percentiles fromWriteStart, double cpuBusy, String firstError) {}

  /** What one watcher received, in arrival order. */
  private static final class Received implements Receiver {
    final LongList versions = new LongList();
    final LongList at = new LongList();

    @Override
    public synchronized void received(long version, long nanoTime) {
      versions.add(version);
      at.add(nanoTime);
    }

    synchronized int size() {
      return versions.size();
    }
  }

  private static final int UPDATED_OBJECTS = 50;

  static Result run(Side side, String namespace, int watchers, int rate, Duration duration) throws Exception {
    Target target = side.target();
    // objects the updates go to, written before the watch starts
    List<CompletableFuture<Long>> setup = new ArrayList<>();
    for (int i = 0; i < UPDATED_OBJECTS; i++) {
      setup.add(target.create(namespace, "wu-" + i, "seed").toCompletableFuture());
    }
    CompletableFuture.allOf(setup.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    long from = side.currentVersion(namespace);
    List<Received> received = new ArrayList<>();
    List<AutoCloseable> handles = new ArrayList<>();
    CountDownLatch started = new CountDownLatch(watchers);
    for (int i = 0; i < watchers; i++) {
      Received r = new Received();
      received.add(r);
      handles.add(side.watch(namespace, from, r, started::countDown));
    }
    try {
      if (!started.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(started.getCount() + " of " + watchers + " watchers did not start");
      }
      Thread.sleep(500);

      Map<Long, long[]> acks = new ConcurrentHashMap<>();
      AtomicLong issued = new AtomicLong();
      AtomicLong completed = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      LongList writeLatencies = new LongList();
      String[] firstError = new String[1];
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "watch-bench-writer");
        t.setDaemon(true);
        return t;
      });
      long[] cpuBefore = Machine.cpuTicks();
      long periodNanos = 1_000_000_000L / rate;
      ScheduledFuture<?> ticks = ticker.scheduleAtFixedRate(() -> {
        long i = issued.getAndIncrement();
        long t0 = System.nanoTime();
        var stage = (i % 2 == 0)
            ? target.create(namespace, "w-" + i, "v" + i)
            : target.update(namespace, "wu-" + ((i / 2) % UPDATED_OBJECTS), "v" + i);
        stage.whenComplete((version, failure) -> {
          long t1 = System.nanoTime();
          if (failure != null) {
            errors.incrementAndGet();
            synchronized (firstError) {
              if (firstError[0] == null) firstError[0] = String.valueOf(ClosedLoop.unwrap(failure));
            }
          } else {
            acks.put(version, new long[] {t0, t1});
            synchronized (writeLatencies) {
              writeLatencies.add(t1 - t0);
            }
          }
          completed.incrementAndGet();
        });
      }, 0, periodNanos, TimeUnit.NANOSECONDS);
      Thread.sleep(duration.toMillis());
      ticks.cancel(false);
      ticker.shutdown();
      ticker.awaitTermination(10, TimeUnit.SECONDS);
      long[] cpuAfter = Machine.cpuTicks();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (completed.get() < issued.get() && System.nanoTime() < deadline) Thread.sleep(10);
      // let every watcher receive every acknowledged write (or give up after 15 s)
      long expected = (long) acks.size() * watchers;
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < deadline) {
        long got = 0;
        for (Received r : received) got += r.size();
        if (got >= expected) break;
        Thread.sleep(20);
      }

      LongList fromAck = new LongList();
      LongList fromStart = new LongList();
      long beforeAck = 0;
      for (Received r : received) {
        synchronized (r) {
          for (int i = 0; i < r.versions.size(); i++) {
            long[] ack = acks.get(r.versions.get(i));
            if (ack == null) continue; // not one of the measured writes
            long at = r.at.get(i);
            long sinceAck = at - ack[1];
            if (sinceAck < 0) {
              beforeAck++;
              sinceAck = 0;
            }
            fromAck.add(sinceAck);
            fromStart.add(at - ack[0]);
          }
        }
      }
      Percentiles writes;
      synchronized (writeLatencies) {
        writes = Percentiles.ofNanos(writeLatencies);
      }
      return new Result(target.name(), watchers, rate, duration.toNanos() / 1e9, acks.size(), errors.get(), writes,
          expected, fromAck.size(), beforeAck, Percentiles.ofNanos(fromAck), Percentiles.ofNanos(fromStart),
          Machine.busyPercent(cpuBefore, cpuAfter), firstError[0]);
    } finally {
      for (AutoCloseable h : handles) {
        try {
          h.close();
        } catch (Exception ignored) {
          // closing a watch that already ended
        }
      }
    }
  }
}
