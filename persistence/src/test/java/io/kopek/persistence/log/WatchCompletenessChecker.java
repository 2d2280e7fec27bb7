package io.kopek.persistence.log;

import static io.kopek.persistence.store.TestStore.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.entity.ObjectEntity;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.resource.ResourceType;
import io.kopek.persistence.store.ObjectStore;
import io.kopek.persistence.store.StoreException;
import io.kopek.persistence.store.TestStore;
import java.nio.file.Path;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Checks the store contract under concurrency: many writers change random objects through several members while
 * informers list, watch, disconnect at random and resume from their last resourceVersion. Every informer must see
 * each change once, in resourceVersion order, and end with exactly the store's state; resumes from versions older
 * than the window must get Expired (and then relist).
 */
public final class WatchCompletenessChecker {
  private final List<ObjectStore> members;
  private final ResourceType type = CONFIGMAPS;
  private final Random seed = new Random(42);
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong acknowledgedWrites = new AtomicLong();
  private final AtomicLong deliveredEvents = new AtomicLong();
  private final AtomicLong expiredResumes = new AtomicLong();
  private final AtomicLong resumes = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();

  /** @param timeouts writes and lists that timed out (their outcome is unknown, which the contract allows) */
  public record Result(long writes, long events, long resumes, long expired, long timeouts, List<String> violations,
      int objects) {}

  private final int window;

  /** @param window the members' watch window (kopek.store.watch-window.max-events) */
  public WatchCompletenessChecker(List<ObjectStore> members, int window) {
    this.members = members;
    this.window = window;
  }

  /**
   * Runs the check on two real cluster members sharing one journal (the store URI), with a watch window of
   * {@code window} events and bookmarks every 200 ms.
   */
  public static Result onTwoMembers(String store, int window, int writers, int informers, int keys, long minWrites,
      long maxMillis) throws Exception {
    String config = "kopek.store.watch-window.max-events = " + window + "\nkopek.store.bookmark-interval = 200ms\n";
    ActorTestKit a = ActorTestKit.create("kopek", TestStore.memberConfig(store, Path.of("/tmp"), 0, List.of(), config));
    try {
      ObjectStore storeA = TestStore.open(a, store, true);
      int portA = Cluster.get(a.system()).selfMember().address().getPort().get();
      ActorTestKit b = ActorTestKit.create("kopek",
          TestStore.memberConfig(store, Path.of("/tmp"), 0, List.of("127.0.0.1:" + portA), config));
      try {
        ObjectStore storeB = TestStore.open(b, store, false);
        return new WatchCompletenessChecker(List.of(storeA, storeB), window).run(writers, informers, keys, minWrites, maxMillis);
      } finally {
        b.shutdownTestKit();
      }
    } finally {
      a.shutdownTestKit();
    }
  }

  /** Churns until {@code minWrites} writes were acknowledged (or {@code maxMillis} passed), then checks. */
  public Result run(int writers, int informers, int keys, long minWrites, long maxMillis) throws Exception {
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Thread> writerThreads = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      long s = seed.nextLong();
      Thread t = new Thread(() -> write(new Random(s), keys, writing), "writer-" + i);
      writerThreads.add(t);
    }
    List<Informer> infs = new ArrayList<>();
    for (int i = 0; i < informers; i++) {
      // The last informer is sleepy: it stays away long enough for its version to leave the window.
      infs.add(new Informer("informer-" + i, members.get(i % members.size()), new Random(seed.nextLong()),
          i == informers - 1));
    }
    infs.forEach(Informer::start);
    writerThreads.forEach(Thread::start);
    long deadline = System.currentTimeMillis() + maxMillis;
    while (acknowledgedWrites.get() < minWrites && System.currentTimeMillis() < deadline) Thread.sleep(50);
    writing.set(false);
    for (Thread t : writerThreads) t.join(60_000);

    ResourceLog.Listed last = null;
    for (int attempt = 0; last == null; attempt++) {
      try {
        last = await(members.get(0).list(type, ListQuery.all("")));
      } catch (StoreException e) {
        if (e.error().code() != 504 || attempt > 10) throw e;
        timeouts.incrementAndGet();
      }
    }
    Map<String, Long> truth = new TreeMap<>();
    for (ObjectNode o : last.items()) truth.put(Json.namespace(o) + "/" + Json.name(o), Json.resourceVersion(o));
    for (Informer inf : infs) inf.finishAt(last.resourceVersion());
    for (Informer inf : infs) {
      inf.join(60_000);
      if (inf.isAlive()) violations.add(inf.name + " did not reach resourceVersion " + last.resourceVersion());
      else if (!inf.view.equals(truth)) {
        violations.add(inf.name + " ended with a view different from the store: " + diff(inf.view, truth));
      }
    }
    return new Result(acknowledgedWrites.get(), deliveredEvents.get(), resumes.get(), expiredResumes.get(),
        timeouts.get(), List.copyOf(violations), truth.size());
  }

  private void write(Random r, int keys, AtomicBoolean writing) {
    while (writing.get()) {
      ObjectStore store = members.get(r.nextInt(members.size()));
      String ns = "ns-" + r.nextInt(3);
      String name = "cm-" + r.nextInt(keys);
      try {
        int op = r.nextInt(10);
        if (op < 3) {
          await(store.create(type, ns, configMap(name, "v", Long.toString(r.nextLong())), false));
        } else if (op < 8) {
          ObjectNode cur = await(store.get(type, ns, name)).deepCopy();
          ((ObjectNode) cur.with("data")).put("v", Long.toString(r.nextLong()));
          await(store.update(type, ns, name, cur, "", false));
        } else {
          await(store.delete(type, ns, name, ObjectEntity.DeleteOptions.defaults()));
        }
        acknowledgedWrites.incrementAndGet();
      } catch (StoreException e) {
        String reason = e.error().reason();
        if (e.error().code() == 504) timeouts.incrementAndGet();
        else if (!reason.equals("NotFound") && !reason.equals("AlreadyExists") && !reason.equals("Conflict")) {
          violations.add("write failed: " + e.error());
        }
      }
    }
  }

  private static String diff(Map<String, Long> seen, Map<String, Long> truth) {
    List<String> out = new ArrayList<>();
    for (var e : truth.entrySet()) {
      if (!e.getValue().equals(seen.get(e.getKey()))) out.add(e.getKey() + " store@" + e.getValue() + " seen@" + seen.get(e.getKey()));
    }
    for (var k : seen.keySet()) if (!truth.containsKey(k)) out.add(k + " not in store, seen@" + seen.get(k));
    return out.size() > 10 ? out.subList(0, 10) + " ..." : out.toString();
  }

  /** A client-side informer: paginated list, then watch; resumes after disconnects; relists on Expired. */
  private final class Informer extends Thread {
    final String name;
    final ObjectStore store;
    final Random r;
    final boolean sleepy;
    final Map<String, Long> view = new TreeMap<>();
    volatile long lastRv;
    volatile long finishAt = Long.MAX_VALUE;
    boolean mustRelist = true;

    Informer(String name, ObjectStore store, Random r, boolean sleepy) {
      super(name);
      this.name = name;
      this.store = store;
      this.r = r;
      this.sleepy = sleepy;
    }

    void finishAt(long rv) {
      finishAt = rv;
    }

    @Override
    public void run() {
      try {
        while (lastRv < finishAt || mustRelist) {
          if (mustRelist) relist();
          else watchFor(finishAt == Long.MAX_VALUE ? 20 + r.nextInt(300) : 10_000);
          if (sleepy && finishAt == Long.MAX_VALUE) {
            // Stay away until more changes than the window holds have happened: the resume must be Expired.
            long until = acknowledgedWrites.get() + window + 50;
            while (acknowledgedWrites.get() < until && finishAt == Long.MAX_VALUE) Thread.sleep(20);
          }
        }
      } catch (Exception e) {
        violations.add(name + " crashed: " + e);
      }
    }

    private void relist() {
      synchronized (view) {
        view.clear();
        String token = "";
        long at = -1;
        do {
          ResourceLog.Listed page;
          try {
            page = await(store.list(CONFIGMAPS, new ListQuery("", "", "", "", "", 25, token)));
          } catch (StoreException e) {
            if (e.error().code() == 410 || e.error().code() == 504) { // outlived the window, or timed out: start over
              if (e.error().code() == 504) timeouts.incrementAndGet();
              view.clear();
              token = "";
              at = -1;
              continue;
            }
            throw e;
          }
          if (at >= 0 && page.resourceVersion() != at) violations.add(name + " got pages at different versions");
          at = page.resourceVersion();
          for (ObjectNode o : page.items()) view.put(Json.namespace(o) + "/" + Json.name(o), Json.resourceVersion(o));
          token = page.continueToken() == null ? "" : page.continueToken();
        } while (!token.isEmpty());
        lastRv = at;
        mustRelist = false;
      }
    }

    private void watchFor(long millis) throws Exception {
      resumes.incrementAndGet();
      long from = lastRv;
      Pair<UniqueKillSwitch, CompletionStage<Done>> running = store.watch(CONFIGMAPS, WatchQuery.from("", from))
          .viaMat(KillSwitches.single(), Keep.right())
          .toMat(Sink.foreach(this::onMessage), Keep.both())
          .run(store.system());
      long deadline = System.currentTimeMillis() + millis;
      while (System.currentTimeMillis() < deadline && !running.second().toCompletableFuture().isDone()
          && lastRv < finishAt) {
        Thread.sleep(5);
      }
      running.first().shutdown();
      running.second().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void onMessage(WatchMessage m) {
      synchronized (view) {
        if (m instanceof WatchMessage.Event e) {
          deliveredEvents.incrementAndGet();
          String key = Json.namespace(e.object()) + "/" + Json.name(e.object());
          if (e.resourceVersion() <= lastRv) {
            violations.add(name + " got " + e.type() + " " + key + "@" + e.resourceVersion() + " after " + lastRv);
          }
          Long had = view.get(key);
          switch (e.type()) {
            case "ADDED" -> {
              if (had != null) violations.add(name + " ADDED for known " + key + "@" + e.resourceVersion());
              view.put(key, e.resourceVersion());
            }
            case "MODIFIED" -> {
              if (had == null) violations.add(name + " MODIFIED for unknown " + key + "@" + e.resourceVersion());
              view.put(key, e.resourceVersion());
            }
            case "DELETED" -> {
              if (had == null) violations.add(name + " DELETED for unknown " + key + "@" + e.resourceVersion());
              view.remove(key);
            }
            default -> violations.add(name + " unexpected event type " + e.type());
          }
          lastRv = e.resourceVersion();
        } else if (m instanceof WatchMessage.Bookmark b) {
          if (b.resourceVersion() < lastRv) violations.add(name + " bookmark went back to " + b.resourceVersion());
          lastRv = b.resourceVersion();
        } else if (m instanceof WatchMessage.Closed c) {
          if (c.error().code() == 410) {
            expiredResumes.incrementAndGet();
            mustRelist = true;
          }
        }
      }
    }
  }
}
