package io.kopek.persistence.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.CborSerializable;
import io.kopek.persistence.entity.ObjectEntity;
import io.kopek.persistence.entity.ObjectKey;
import io.kopek.persistence.resource.ResourceRegistry;
import io.kopek.persistence.resource.ResourceType;
import io.kopek.persistence.store.StoreError;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * The commit log and watch cache of one resource ("pods", "deployments.apps"), one sharded actor per resource.
 *
 * <p>It hands out resourceVersions, then settles them in order: an allocated version is in flight until its
 * entity commits (persisted) or it is aborted. The watermark is the highest version below which nothing is in
 * flight; only committed changes at or below it are applied to the cache, sent to watchers and acknowledged to
 * the writer. So watchers get every change exactly once in resourceVersion order, across all shards and nodes,
 * and a list after an acknowledged write includes it. A version whose entity went silent (crash, lost message) is
 * settled by asking the entity what its journal holds.
 *
 * <p>The cache holds the current objects and a window of recent events (bounded by count and age). Watches resume
 * from any version inside the window; older ones get 410 Expired. After a restart the cache is rebuilt by asking
 * every object entity of the resource for its state, and versions continue above the persisted ceiling.
 */
public final class ResourceLog extends AbstractBehavior<ResourceLog.Command> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "resource-log");

  // ---- protocol ----------------------------------------------------------------------------------------------

  public interface Command extends CborSerializable {}

  /** @param attempt the entity's number for this write, echoed so it can tell a late answer from the current one */
  public record Allocate(ObjectKey key, long attempt, ActorRef<Allocation> replyTo) implements Command {}

  public record Allocation(long attempt, long rv) implements CborSerializable {}

  /**
   * A persisted change; the log acknowledges replyTo once it is visible. Whether it is an ADDED or a MODIFIED the
   * log knows from its cache; only a deletion must be said.
   */
  public record Commit(long rv, ObjectKey key, boolean deleted, ObjectNode object, ActorRef<ObjectEntity.Reply> replyTo)
      implements Command {}

  public record Abort(long rv) implements Command {}

  /**
   * What an entity's journal holds: sent when it recovers (settling every version allocated for it before) and in
   * answer to a probe (settling versions up to {@code upTo}).
   */
  public record EntityState(ObjectKey key, long lastRv, ObjectNode object, boolean deleted, long upTo)
      implements Command {
    public EntityState(ObjectKey key, long lastRv, ObjectNode object, boolean deleted) {
      this(key, lastRv, object, deleted, Long.MAX_VALUE);
    }
  }

  public record ListObjects(ListQuery query, ActorRef<ListReply> replyTo) implements Command {}

  public sealed interface ListReply extends CborSerializable {}

  /** @param remaining items after this page, when known (lists without selectors), else null */
  public record Listed(List<ObjectNode> items, long resourceVersion, String continueToken, Long remaining)
      implements ListReply {}

  public record ListFailed(StoreError error) implements ListReply {}

  public record Watch(WatchQuery query, ActorRef<WatchMessage> subscriber) implements Command {}

  public record Unwatch(ActorRef<WatchMessage> subscriber) implements Command {}

  /** Size figures for metrics and tests. */
  public record GetStats(ActorRef<Stats> replyTo) implements Command {}

  public record Stats(String resource, int objects, int windowEvents, int watchers, long watermark, int inFlight)
      implements CborSerializable {}

  private enum Tick implements Command { INSTANCE }

  private enum RetryRebuild implements Command { INSTANCE }

  private record CeilingRaised(long previous, long ceiling) implements Command {}

  private record CeilingFailed(String reason) implements Command {}

  private record Rebuilt(List<EntityState> states) implements Command {}

  private record RebuildFailed(String reason) implements Command {}

  // ---- settings ----------------------------------------------------------------------------------------------

  /** Tunables, from {@code kopek.store} in the configuration. */
  public record Settings(int windowMaxEvents, Duration windowMaxAge, Duration probeAfter, Duration bookmarkInterval,
      long versionBlock, int rebuildParallelism, String readJournal, Duration askTimeout, Duration statsInterval) {
    public static Settings from(com.typesafe.config.Config c) {
      com.typesafe.config.Config s = c.getConfig("kopek.store");
      return new Settings(s.getInt("watch-window.max-events"), s.getDuration("watch-window.max-age"),
          s.getDuration("probe-after"), s.getDuration("bookmark-interval"), s.getLong("version-block"),
          s.getInt("rebuild-parallelism"), s.getString("read-journal"), s.getDuration("ask-timeout"),
          s.getDuration("stats-interval"));
    }
  }

  // ---- state -------------------------------------------------------------------------------------------------

  private static final class Slot {
    final ObjectKey key;
    final long allocatedAt;
    long probedAt;
    Commit commit;
    boolean aborted;

    Slot(ObjectKey key, long now) {
      this.key = key;
      this.allocatedAt = now;
      this.probedAt = now;
    }
  }

  private record Entry(ObjectKey key, ObjectNode object) {}

  /** One applied change; prev is the object before it (null for ADDED), used for filters and past lists. */
  private record LogEvent(long rv, String type, ObjectKey key, ObjectNode object, ObjectNode prev, long at) {}

  private static final class Watcher {
    final ActorRef<WatchMessage> subscriber;
    final ObjectFilter filter;
    final boolean bookmarks;

    Watcher(ActorRef<WatchMessage> subscriber, ObjectFilter filter, boolean bookmarks) {
      this.subscriber = subscriber;
      this.filter = filter;
      this.bookmarks = bookmarks;
    }
  }

  private final ResourceType type;
  private final Settings settings;
  private final StashBuffer<Command> stash;
  private final ClusterSharding sharding;
  private final ActorRef<VersionCeiling.Reserve> ceilingStore;

  private long nextRv;
  private long ceiling;
  private boolean raisingCeiling;
  private long watermark;
  private final TreeMap<Long, Slot> inFlight = new TreeMap<>();
  private final TreeMap<String, Entry> objects = new TreeMap<>();
  private final ArrayDeque<LogEvent> window = new ArrayDeque<>();
  /** Watching from any version at or above this one sees every later change. */
  private long windowStart;
  private final Map<ActorRef<WatchMessage>, Watcher> watchers = new HashMap<>();
  private long lastBookmark;
  private long lastStats;

  public static Behavior<Command> create(String resource, ResourceRegistry registry) {
    return Behaviors.setup(ctx -> {
      ResourceType type = registry.byStorageName(resource).orElse(null);
      if (type == null) return unknownResource(resource);
      Settings settings = Settings.from(ctx.getSystem().settings().config());
      return Behaviors.withStash(1_000_000, stash -> Behaviors.withTimers(timers ->
          new ResourceLog(ctx, timers, stash, type, settings)));
    });
  }

  private ResourceLog(ActorContext<Command> ctx, TimerScheduler<Command> timers, StashBuffer<Command> stash,
      ResourceType type, Settings settings) {
    super(ctx);
    this.type = type;
    this.settings = settings;
    this.stash = stash;
    this.sharding = ClusterSharding.get(ctx.getSystem());
    this.ceilingStore = ctx.spawn(VersionCeiling.create(type.storageName()), "ceiling");
    timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ofMillis(250));
    startRebuild();
  }

  // ---- rebuilding --------------------------------------------------------------------------------------------

  private boolean rebuilding = true;
  /** The ceiling before this incarnation: every version handed out earlier is at or below it. */
  private long previousCeiling;

  private void startRebuild() {
    rebuilding = true;
    raiseCeiling(true);
  }

  private void raiseCeiling(boolean forRebuild) {
    getContext().ask(VersionCeiling.Reserved.class, ceilingStore, settings.askTimeout(),
        ref -> new VersionCeiling.Reserve(settings.versionBlock(), ref),
        (r, failure) -> r != null ? new CeilingRaised(r.previous(), r.ceiling())
            : forRebuild ? new RebuildFailed(String.valueOf(failure)) : new CeilingFailed(String.valueOf(failure)));
  }

  /** Reads every object entity of this resource (each answers after any write it has in progress). */
  private void scanEntities() {
    var system = getContext().getSystem();
    CurrentPersistenceIdsQuery journal = PersistenceQuery.get(system)
        .getReadJournalFor(CurrentPersistenceIdsQuery.class, settings.readJournal());
    String prefix = type.keyPrefix();
    Duration timeout = settings.askTimeout();
    getContext().pipeToSelf(
        journal.currentPersistenceIds()
            .mapConcat(pid -> {
              ObjectKey key = ObjectKey.fromPersistenceId(type.storageName(), prefix, type.namespaced(), pid);
              return key == null ? List.<ObjectKey>of() : List.of(key);
            })
            .mapAsyncUnordered(settings.rebuildParallelism(), key -> sharding.entityRefFor(ObjectEntity.TYPE_KEY,
                key.persistenceId()).<EntityState>ask(ref -> new ObjectEntity.Inspect(key, 0, ref), timeout))
            .runWith(Sink.seq(), system),
        (states, failure) -> states != null ? new Rebuilt(states) : new RebuildFailed(String.valueOf(failure)));
  }

  private Behavior<Command> onRebuilt(Rebuilt r) {
    long highest = previousCeiling;
    objects.clear();
    for (EntityState s : r.states()) {
      highest = Math.max(highest, s.lastRv());
      if (s.object() != null && !s.deleted()) objects.put(s.key().sortKey(), new Entry(s.key(), s.object()));
    }
    // Never 0: a list at version 0 would make a following watch from "0" replay the whole state.
    nextRv = Math.max(highest, 1) + 1;
    ceiling = Math.max(ceiling, nextRv);
    watermark = nextRv - 1;
    windowStart = watermark;
    rebuilding = false;
    getContext().getLog().info("resource log {} ready: {} objects, resourceVersion {}", type.storageName(),
        objects.size(), watermark);
    return stash.unstashAll(this);
  }

  // ---- behaviour ---------------------------------------------------------------------------------------------

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(CeilingRaised.class, this::onCeilingRaised)
        .onMessage(CeilingFailed.class, this::onCeilingFailed)
        .onMessage(Rebuilt.class, this::onRebuilt)
        .onMessage(RebuildFailed.class, this::onRebuildFailed)
        .onMessage(Tick.class, t -> onTick())
        .onMessage(RetryRebuild.class, r -> {
          startRebuild();
          return this;
        })
        .onMessage(EntityState.class, this::onEntityState)
        .onMessage(Command.class, this::onRequest)
        .onSignal(Terminated.class, t -> {
          watchers.remove(t.getRef());
          return this;
        })
        .build();
  }

  private Behavior<Command> onRequest(Command cmd) {
    if (rebuilding || (cmd instanceof Allocate && nextRv > ceiling)) {
      stash.stash(cmd);
      return this;
    }
    if (cmd instanceof Allocate a) return onAllocate(a);
    if (cmd instanceof Commit c) return onCommit(c);
    if (cmd instanceof Abort a) {
      Slot s = inFlight.get(a.rv());
      if (s != null && s.commit == null) s.aborted = true;
      return advance();
    }
    if (cmd instanceof ListObjects l) {
      l.replyTo().tell(list(l.query()));
      return this;
    }
    if (cmd instanceof Watch w) return onWatch(w);
    if (cmd instanceof Unwatch u) {
      watchers.remove(u.subscriber());
      getContext().unwatch(u.subscriber());
      return this;
    }
    if (cmd instanceof GetStats g) {
      g.replyTo().tell(stats());
      return this;
    }
    getContext().getLog().warn("unexpected message {}", cmd);
    return this;
  }

  private Behavior<Command> onCeilingRaised(CeilingRaised r) {
    ceiling = r.ceiling();
    if (rebuilding) {
      previousCeiling = r.previous();
      scanEntities();
      return this;
    }
    raisingCeiling = false;
    return stash.unstashAll(this);
  }

  private Behavior<Command> onCeilingFailed(CeilingFailed f) {
    raisingCeiling = false;
    getContext().getLog().warn("could not raise the resourceVersion ceiling of {}: {}", type.storageName(), f.reason());
    return this;
  }

  private Behavior<Command> onRebuildFailed(RebuildFailed f) {
    getContext().getLog().warn("rebuilding {} failed, retrying: {}", type.storageName(), f.reason());
    getContext().scheduleOnce(Duration.ofSeconds(1), getContext().getSelf(), RetryRebuild.INSTANCE);
    return this;
  }

  private Behavior<Command> onAllocate(Allocate a) {
    long rv = nextRv++;
    inFlight.put(rv, new Slot(a.key(), System.nanoTime()));
    a.replyTo().tell(new Allocation(a.attempt(), rv));
    if (!raisingCeiling && ceiling - nextRv < settings.versionBlock() / 2) {
      raisingCeiling = true;
      raiseCeiling(false);
    }
    return this;
  }

  private Behavior<Command> onCommit(Commit c) {
    Slot s = inFlight.get(c.rv());
    if (s == null) {
      // Settled already (by a probe, or before a rebuild that read this entity); the cache holds it or newer.
      Entry e = objects.get(c.key().sortKey());
      if (c.replyTo() != null) c.replyTo().tell(new ObjectEntity.Ok(e != null ? e.object() : c.object(), c.deleted()));
      return this;
    }
    s.commit = c;
    return advance();
  }

  private Behavior<Command> onEntityState(EntityState st) {
    if (rebuilding) return this; // the rebuild reads every entity anyway
    boolean changed = false;
    for (var it = inFlight.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      long rv = e.getKey();
      Slot s = e.getValue();
      if (rv > st.upTo()) break;
      if (!s.key.equals(st.key()) || s.commit != null || s.aborted) continue;
      if (st.upTo() != Long.MAX_VALUE) {
        getContext().getLog().info("resourceVersion {} of {} settled by asking its entity after {} ms", rv,
            st.key().persistenceId(), (System.nanoTime() - s.allocatedAt) / 1_000_000);
      }
      if (rv == st.lastRv()) {
        s.commit = new Commit(rv, st.key(), st.deleted(), st.object(), null);
      } else {
        if (rv < st.lastRv()) {
          getContext().getLog().warn("resourceVersion {} of {} was overtaken by {}; settling it as aborted", rv,
              st.key().persistenceId(), st.lastRv());
        }
        s.aborted = true;
      }
      changed = true;
    }
    return changed ? advance() : this;
  }

  /** Applies every settled change from the lowest in-flight version up, in order, and moves the watermark. */
  private Behavior<Command> advance() {
    while (!inFlight.isEmpty()) {
      Map.Entry<Long, Slot> first = inFlight.firstEntry();
      Slot s = first.getValue();
      if (s.aborted) {
        inFlight.pollFirstEntry();
        continue;
      }
      if (s.commit == null) break;
      inFlight.pollFirstEntry();
      apply(s.commit);
    }
    watermark = inFlight.isEmpty() ? nextRv - 1 : inFlight.firstKey() - 1;
    return this;
  }

  private void apply(Commit c) {
    String sortKey = c.key().sortKey();
    Entry prevEntry = objects.get(sortKey);
    ObjectNode prev = prevEntry == null ? null : prevEntry.object();
    boolean deleted = c.deleted();
    if (deleted) objects.remove(sortKey);
    else objects.put(sortKey, new Entry(c.key(), c.object()));
    String eventType = deleted ? "DELETED" : prev == null ? "ADDED" : "MODIFIED";
    LogEvent ev = new LogEvent(c.rv(), eventType, c.key(), c.object(), prev, System.nanoTime());
    window.addLast(ev);
    trimWindow(ev.at());
    for (Watcher w : watchers.values()) deliver(w, ev);
    if (c.replyTo() != null) c.replyTo().tell(new ObjectEntity.Ok(c.object(), deleted));
  }

  private void trimWindow(long now) {
    long maxAge = settings.windowMaxAge().toNanos();
    while (!window.isEmpty() && (window.size() > settings.windowMaxEvents() || now - window.peekFirst().at() > maxAge)) {
      windowStart = window.pollFirst().rv();
    }
  }

  private Behavior<Command> onTick() {
    if (rebuilding) return this;
    long now = System.nanoTime();
    long probeAfter = settings.probeAfter().toNanos();
    for (var e : inFlight.entrySet()) {
      Slot s = e.getValue();
      if (s.commit != null || s.aborted || now - s.probedAt < probeAfter) continue;
      s.probedAt = now;
      sharding.entityRefFor(ObjectEntity.TYPE_KEY, s.key.persistenceId())
          .tell(new ObjectEntity.Inspect(s.key, e.getKey(), getContext().getSelf().narrow()));
    }
    trimWindow(now);
    if (now - lastBookmark >= settings.bookmarkInterval().toNanos()) {
      lastBookmark = now;
      for (Watcher w : watchers.values()) {
        if (w.bookmarks) w.subscriber.tell(new WatchMessage.Bookmark(watermark));
      }
    }
    if (now - lastStats >= settings.statsInterval().toNanos()) {
      // Published on this member's event stream, so metrics never have to wake a log to measure it.
      lastStats = now;
      getContext().getSystem().eventStream().tell(new EventStream.Publish<>(stats()));
    }
    return this;
  }

  // ---- watch -------------------------------------------------------------------------------------------------

  private Behavior<Command> onWatch(Watch w) {
    ObjectFilter filter;
    try {
      filter = ObjectFilter.of(type, w.query().namespace(), w.query().labelSelector(), w.query().fieldSelector());
    } catch (IllegalArgumentException e) {
      w.subscriber().tell(new WatchMessage.Closed(StoreError.badRequest(e.getMessage())));
      return this;
    }
    String rvText = w.query().resourceVersion() == null ? "" : w.query().resourceVersion();
    Watcher watcher = new Watcher(w.subscriber(), filter, w.query().allowBookmarks());
    if (rvText.isEmpty() || rvText.equals("0")) {
      w.subscriber().tell(new WatchMessage.Started(getContext().getSelf()));
      for (Entry e : range(objects, filter.namespace()).values()) {
        if (filter.matches(e.object())) {
          w.subscriber().tell(new WatchMessage.Event("ADDED", e.object(), rvOf(e.object())));
        }
      }
    } else {
      long from;
      try {
        from = Long.parseLong(rvText);
      } catch (NumberFormatException e) {
        w.subscriber().tell(new WatchMessage.Closed(StoreError.badRequest("invalid resource version \"" + rvText + "\"")));
        return this;
      }
      if (from < windowStart) {
        w.subscriber().tell(new WatchMessage.Closed(tooOld(from)));
        return this;
      }
      w.subscriber().tell(new WatchMessage.Started(getContext().getSelf()));
      for (LogEvent ev : window) {
        if (ev.rv() > from) deliver(watcher, ev);
      }
    }
    watchers.put(w.subscriber(), watcher);
    getContext().watch(w.subscriber());
    return this;
  }

  private Stats stats() {
    return new Stats(type.storageName(), objects.size(), window.size(), watchers.size(), watermark, inFlight.size());
  }

  private StoreError tooOld(long rv) {
    return StoreError.expired("too old resource version: " + rv + " (" + (windowStart + 1) + ")");
  }

  /** A change as one watcher sees it through its filter: leaving the selection is a DELETED, entering an ADDED. */
  private static void deliver(Watcher w, LogEvent ev) {
    boolean before = ev.prev() != null && w.filter.matches(ev.prev());
    boolean after = w.filter.matches(ev.object());
    String seen;
    if (ev.type().equals("DELETED")) seen = before || after ? "DELETED" : null;
    else if (before && after) seen = "MODIFIED";
    else if (after) seen = "ADDED";
    else if (before) seen = "DELETED";
    else seen = null;
    if (seen != null) w.subscriber.tell(new WatchMessage.Event(seen, ev.object(), ev.rv()));
  }

  // ---- list --------------------------------------------------------------------------------------------------

  private ListReply list(ListQuery q) {
    ObjectFilter filter;
    try {
      filter = ObjectFilter.of(type, q.namespace(), q.labelSelector(), q.fieldSelector());
    } catch (IllegalArgumentException e) {
      return new ListFailed(StoreError.badRequest(e.getMessage()));
    }
    long at = watermark;
    String after = null;
    if (q.continueToken() != null && !q.continueToken().isEmpty()) {
      ContinueToken token;
      try {
        token = ContinueToken.decode(q.continueToken());
      } catch (IllegalArgumentException e) {
        return new ListFailed(StoreError.badRequest("continue key is not valid: " + e.getMessage()));
      }
      at = token.resourceVersion();
      after = token.after();
    } else if (q.resourceVersion() != null && !q.resourceVersion().isEmpty() && !q.resourceVersion().equals("0")) {
      long wanted;
      try {
        wanted = Long.parseLong(q.resourceVersion());
      } catch (NumberFormatException e) {
        return new ListFailed(StoreError.badRequest("invalid resource version \"" + q.resourceVersion() + "\""));
      }
      if (wanted > watermark) {
        return new ListFailed(StoreError.timeout("Too large resource version: " + wanted + ", current: " + watermark));
      }
      if ("Exact".equals(q.resourceVersionMatch())) at = wanted;
    }
    NavigableMap<String, Entry> view;
    if (at == watermark) view = objects;
    else if (at < windowStart) {
      return new ListFailed(q.continueToken() != null && !q.continueToken().isEmpty()
          ? StoreError.expired("The provided continue parameter is too old to display a consistent list result. "
              + "You can start a new list without the continue parameter.")
          : tooOld(at));
    } else view = viewAt(at);
    NavigableMap<String, Entry> scope = range(view, filter.namespace());
    if (after != null) scope = scope.tailMap(after, false);
    List<ObjectNode> items = new ArrayList<>();
    String last = null;
    long limit = q.limit() <= 0 ? Long.MAX_VALUE : q.limit();
    Iterator<Entry> it = scope.values().iterator();
    while (it.hasNext() && items.size() < limit) {
      Entry e = it.next();
      if (filter.matches(e.object())) {
        items.add(e.object());
        last = e.key().sortKey();
      }
    }
    String token = null;
    Long remaining = null;
    if (items.size() >= limit && last != null) {
      var rest = scope.tailMap(last, false).values();
      long more = filter.selectsAll() ? rest.size() : rest.stream().filter(e -> filter.matches(e.object())).count();
      if (more > 0) {
        token = new ContinueToken(at, last).encode();
        if (filter.selectsAll()) remaining = more;
      }
    }
    return new Listed(items, at, token, remaining);
  }

  /** The objects as they were at an older version inside the window: undo the later changes, newest first. */
  private NavigableMap<String, Entry> viewAt(long rv) {
    TreeMap<String, Entry> view = new TreeMap<>(objects);
    Iterator<LogEvent> it = window.descendingIterator();
    while (it.hasNext()) {
      LogEvent ev = it.next();
      if (ev.rv() <= rv) break;
      if (ev.prev() == null) view.remove(ev.key().sortKey());
      else view.put(ev.key().sortKey(), new Entry(ev.key(), ev.prev()));
    }
    return view;
  }

  private static NavigableMap<String, Entry> range(NavigableMap<String, Entry> map, String namespace) {
    if (namespace == null || namespace.isEmpty()) return map;
    return map.subMap(namespace + "/", true, namespace + "/\uffff", false);
  }

  private static long rvOf(ObjectNode o) {
    return io.kopek.persistence.json.Json.resourceVersion(o);
  }

  private static Behavior<Command> unknownResource(String resource) {
    return Behaviors.receive(Command.class)
        .onMessage(ListObjects.class, l -> {
          l.replyTo().tell(new ListFailed(new StoreError(404, "NotFound", "the server could not find the requested resource ("
              + resource + ")", null, null, null, List.of())));
          return Behaviors.same();
        })
        .onMessage(Watch.class, w -> {
          w.subscriber().tell(new WatchMessage.Closed(new StoreError(404, "NotFound",
              "the server could not find the requested resource (" + resource + ")", null, null, null, List.of())));
          return Behaviors.same();
        })
        .onAnyMessage(m -> Behaviors.same())
        .build();
  }
}
