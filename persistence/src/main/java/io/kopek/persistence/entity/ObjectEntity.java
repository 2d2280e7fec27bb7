package io.kopek.persistence.entity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.CborSerializable;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.log.ResourceLog;
import io.kopek.persistence.resource.ResourceType;
import io.kopek.persistence.store.StoreError;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One API object, as one sharded event-sourced actor whose persistence id is its etcd key
 * ({@code /registry/pods/default/nginx}). It enforces the object rules (names, uid, resourceVersion preconditions,
 * generation, status subresource, finalizers, graceful deletion) and is the only writer of its object.
 *
 * <p>A write takes three steps, one at a time per object: validate against the current state; take the next
 * resourceVersion from the resource's {@link ResourceLog}; persist, then commit the result to the log. The log
 * acknowledges the caller once every lower resourceVersion is settled, so a list after an acknowledged write
 * includes it and watchers see changes in resourceVersion order. Commands that arrive mid-write are stashed.
 */
public final class ObjectEntity extends EventSourcedBehavior<ObjectEntity.Command, ObjectEntity.Event, ObjectEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "object");
  /** etcd's request limit, which is what bounds an object's size upstream. */
  public static final int MAX_OBJECT_BYTES = 1_572_864;
  private static final Duration ALLOCATE_TIMEOUT = Duration.ofSeconds(5);

  // ---- protocol ----------------------------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  public record Create(ResourceType type, ObjectKey key, ObjectNode object, boolean dryRun, ActorRef<Reply> replyTo)
      implements Command {}

  /** Replace the object (subresource "") or only its status (subresource "status"). */
  public record Update(ResourceType type, ObjectKey key, ObjectNode object, String subresource, boolean dryRun,
      ActorRef<Reply> replyTo) implements Command {}

  /** Apply a patch to the current object; the patch is applied here, so it is atomic with the write. */
  public record Patch(ResourceType type, ObjectKey key, String patchType, String patch, String subresource,
      boolean dryRun, ActorRef<Reply> replyTo) implements Command {}

  public record Delete(ResourceType type, ObjectKey key, DeleteOptions options, ActorRef<Reply> replyTo)
      implements Command {}

  public record Get(ResourceType type, ObjectKey key, ActorRef<Reply> replyTo) implements Command {}

  /** Asked by the resource log when it rebuilds, or when a write it allocated for has not come back. */
  public record Inspect(ObjectKey key, long upTo, ActorRef<ResourceLog.EntityState> replyTo) implements Command {}

  /** Sharding's stop message (passivation, rebalancing): handled between writes, never in the middle of one. */
  public enum Passivate implements Command { INSTANCE }

  record Allocated(long attempt, long rv) implements Command {}

  record AllocationFailed(long attempt, String reason) implements Command {}

  public record DeleteOptions(String uid, String resourceVersion, Long gracePeriodSeconds, String propagationPolicy,
      boolean dryRun) implements CborSerializable {
    public static DeleteOptions defaults() {
      return new DeleteOptions(null, null, null, null, false);
    }
  }

  public sealed interface Reply extends CborSerializable {}

  /** @param gone true when the write removed the object from the store */
  public record Ok(ObjectNode object, boolean gone) implements Reply {}

  public record Failed(StoreError error) implements Reply {}

  // ---- events and state ----------------------------------------------------------------------------------------

  public sealed interface Event extends CborSerializable {
    ObjectNode object();
  }

  /** Carries the key too, so a recovered entity knows which object it is (also after a deletion). */
  public record Created(ObjectKey key, ObjectNode object) implements Event {}

  public record Updated(ObjectNode object) implements Event {}

  /** The object's final state, stamped with the resourceVersion of its deletion. */
  public record Deleted(ObjectNode object) implements Event {}

  /**
   * @param object  the current object, or after a deletion its final state (kept so a late probe can still be
   *                answered); null when the entity never held an object
   * @param lastRv  resourceVersion of the last persisted event
   */
  public record State(ObjectKey key, ObjectNode object, long lastRv, boolean deleted) implements CborSerializable {
    boolean exists() {
      return object != null && !deleted;
    }
  }

  // ---- behaviour ------------------------------------------------------------------------------------------------

  private static final Object ALLOCATION_TIMER = "allocation";

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final ActorRef<ResourceLog.Allocation> allocations;
  private final ClusterSharding sharding;
  /** The write waiting for a resourceVersion; transient on purpose: a restart drops it, and the log aborts it. */
  private PendingWrite pending;
  private long attempts;
  /** The key of the last write, to release an allocation that arrives after its write timed out. */
  private ObjectKey lastKey;

  private record PendingWrite(long attempt, Kind kind, ResourceType type, ObjectKey key, ObjectNode object,
      ActorRef<Reply> replyTo) {}

  private enum Kind { CREATE, UPDATE, DELETE }

  public static Behavior<Command> create(String persistenceId) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ObjectEntity(ctx, timers, persistenceId)));
  }

  private ObjectEntity(ActorContext<Command> context, TimerScheduler<Command> timers, String persistenceId) {
    // After a failed write the entity restarts and recovers; recovery tells the log what the journal holds.
    super(PersistenceId.ofUniqueId(persistenceId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.2));
    this.context = context;
    this.timers = timers;
    this.allocations = context.messageAdapter(ResourceLog.Allocation.class, a -> new Allocated(a.attempt(), a.rv()));
    this.sharding = ClusterSharding.get(context.getSystem());
  }

  @Override
  public State emptyState() {
    return new State(null, null, 0, false);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // A Node updated every 10 s for a week keeps at most ~3 x 50 events and two snapshots.
    return RetentionCriteria.snapshotEvery(50, 2).withDeleteEventsOnSnapshot();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          // Tell the log what the journal holds, so a write this entity allocated for before a crash is settled.
          if (state.key() != null) {
            logOf(state.key()).tell(new ResourceLog.EntityState(state.key(), state.lastRv(), state.object(), state.deleted()));
          }
        })
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return (state, event) -> new State(event instanceof Created c ? c.key() : state.key(), event.object(),
        Json.resourceVersion(event.object()), event instanceof Deleted);
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return this::onCommand;
  }

  private Effect<Event, State> onCommand(State state, Command command) {
    if (command instanceof Allocated a) return onAllocated(state, a);
    if (command instanceof AllocationFailed f) return onAllocationFailed(f);
    if (pending != null) return Effect().stash();
    if (command instanceof Get g) {
      return Effect().reply(g.replyTo(), state.exists() ? new Ok(state.object(), false)
          : new Failed(StoreError.notFound(g.type(), g.key().name())));
    }
    if (command instanceof Inspect i) {
      i.replyTo().tell(new ResourceLog.EntityState(i.key(), state.lastRv(), state.object(), state.deleted(), i.upTo()));
      return Effect().none();
    }
    if (command instanceof Passivate) return Effect().stop();
    if (command instanceof Create c) return onCreate(state, c);
    ObjectNode current = state.exists() ? state.object() : null;
    if (command instanceof Update u) {
      return decide(state, u.type(), u.key(), u.dryRun(), u.replyTo(),
          ObjectRules.update(u.type(), u.key(), current, u.object(), u.subresource()));
    }
    if (command instanceof Patch p) {
      return decide(state, p.type(), p.key(), p.dryRun(), p.replyTo(),
          ObjectRules.patch(p.type(), p.key(), current, p.patchType(), p.patch(), p.subresource()));
    }
    if (command instanceof Delete d) {
      return decide(state, d.type(), d.key(), d.options().dryRun(), d.replyTo(),
          ObjectRules.delete(d.type(), d.key(), current, d.options(), now()));
    }
    throw new IllegalArgumentException("unknown command " + command);
  }

  private Effect<Event, State> onCreate(State state, Create c) {
    if (state.exists()) return Effect().reply(c.replyTo(), new Failed(StoreError.alreadyExists(c.type(), c.key().name())));
    return decide(state, c.type(), c.key(), c.dryRun(), c.replyTo(), ObjectRules.create(c.type(), c.key(), c.object(), now()));
  }

  /** Turns a rule's outcome into a reply (refusal, no-op, dry run) or a write waiting for its resourceVersion. */
  private Effect<Event, State> decide(State state, ResourceType type, ObjectKey key, boolean dryRun,
      ActorRef<Reply> replyTo, ObjectRules.Outcome outcome) {
    if (outcome instanceof ObjectRules.Refused r) return Effect().reply(replyTo, new Failed(r.error()));
    if (outcome instanceof ObjectRules.Unchanged u) return Effect().reply(replyTo, new Ok(u.object(), false));
    ObjectRules.Write w = (ObjectRules.Write) outcome;
    if (Json.bytes(w.object()).length > MAX_OBJECT_BYTES) {
      return Effect().reply(replyTo, new Failed(StoreError.tooLarge(
          "Request entity too large: the object is larger than " + MAX_OBJECT_BYTES + " bytes")));
    }
    if (dryRun) return Effect().reply(replyTo, new Ok(w.object(), w.removes()));
    Kind kind = state.exists() ? (w.removes() ? Kind.DELETE : Kind.UPDATE) : Kind.CREATE;
    pending = new PendingWrite(++attempts, kind, type, key, w.object(), replyTo);
    lastKey = key;
    // A tell to an adapter, not an ask: no temporary actor, no future, no callback thread per write.
    logOf(key).tell(new ResourceLog.Allocate(key, pending.attempt(), allocations));
    timers.startSingleTimer(ALLOCATION_TIMER, new AllocationFailed(pending.attempt(), "no answer"), ALLOCATE_TIMEOUT);
    return Effect().none();
  }

  private Effect<Event, State> onAllocated(State state, Allocated a) {
    PendingWrite w = pending;
    if (w == null || w.attempt() != a.attempt()) {
      // An allocation that arrived after we gave up on it: release it so the log's watermark moves on.
      context.getLog().warn("late resourceVersion {} for {}: aborting it", a.rv(), persistenceId().id());
      if (lastKey != null) logOf(lastKey).tell(new ResourceLog.Abort(a.rv()));
      return Effect().none();
    }
    timers.cancel(ALLOCATION_TIMER);
    pending = null;
    // The rules hand back a fresh tree, owned by this write alone: stamp it in place.
    ObjectNode object = w.object();
    Json.metadata(object).put("resourceVersion", Long.toString(a.rv()));
    Event event = switch (w.kind()) {
      case CREATE -> new Created(w.key(), object);
      case UPDATE -> new Updated(object);
      case DELETE -> new Deleted(object);
    };
    return Effect().persist(event)
        .thenRun(s -> logOf(w.key()).tell(new ResourceLog.Commit(a.rv(), w.key(), w.kind() == Kind.DELETE, object, w.replyTo())))
        .thenUnstashAll();
  }

  private Effect<Event, State> onAllocationFailed(AllocationFailed f) {
    PendingWrite w = pending;
    if (w == null || w.attempt() != f.attempt()) return Effect().none();
    pending = null;
    return Effect().reply(w.replyTo(), new Failed(StoreError.timeout(
            "Timeout: the store did not assign a resourceVersion in time, please retry")))
        .thenUnstashAll();
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<ResourceLog.Command> logOf(ObjectKey key) {
    return sharding.entityRefFor(ResourceLog.TYPE_KEY, key.resource());
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
