package io.kopek.persistence.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.entity.ObjectEntity;
import io.kopek.persistence.entity.ObjectKey;
import io.kopek.persistence.entity.ObjectRules;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.log.ListQuery;
import io.kopek.persistence.log.ResourceLog;
import io.kopek.persistence.log.WatchMessage;
import io.kopek.persistence.log.WatchQuery;
import io.kopek.persistence.resource.ResourceRegistry;
import io.kopek.persistence.resource.ResourceType;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/**
 * The store as every other part of kopek uses it: the API server, the scheduler and controllers, the node daemons.
 * Writes and reads go to the object entities, lists and watches to the resource logs, all by actor messages.
 * Failures complete the stage with a {@link StoreException}.
 */
public final class ObjectStore {
  public static final String CONTROL_PLANE_ROLE = "control-plane";
  private static final int GENERATE_NAME_ATTEMPTS = 8;
  private static final int WATCH_BUFFER = 10_000;
  private static final java.util.concurrent.Executor SAME_THREAD = Runnable::run;

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final ResourceRegistry registry;
  private final Duration timeout;
  private final AtomicLong watchIds = new AtomicLong();

  private ObjectStore(ActorSystem<?> system, ResourceRegistry registry) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.registry = registry;
    this.timeout = system.settings().config().getDuration("kopek.store.ask-timeout");
  }

  /**
   * Starts the sharded object entities and resource logs. They run on control-plane members; on other members
   * (node daemons) this starts only proxies.
   */
  public static ObjectStore start(ActorSystem<?> system, ResourceRegistry registry) {
    ClusterSharding sharding = ClusterSharding.get(system);
    sharding.init(Entity.of(ObjectEntity.TYPE_KEY, ctx -> ObjectEntity.create(ctx.getEntityId()))
        .withStopMessage(ObjectEntity.Passivate.INSTANCE)
        .withRole(CONTROL_PLANE_ROLE));
    sharding.init(Entity.of(ResourceLog.TYPE_KEY, ctx -> Behaviors.supervise(ResourceLog.create(ctx.getEntityId(), registry))
            .onFailure(SupervisorStrategy.restart()))
        .withRole(CONTROL_PLANE_ROLE)
        // A log holds the watch cache of its resource: it must never be passivated for being quiet.
        .withSettings(ClusterShardingSettings.create(system).withRole(CONTROL_PLANE_ROLE).withNoPassivationStrategy()));
    return new ObjectStore(system, registry);
  }

  public ResourceRegistry registry() {
    return registry;
  }

  public ActorSystem<?> system() {
    return system;
  }

  // ---- objects ------------------------------------------------------------------------------------------------

  /** Creates the object; an empty name with metadata.generateName gets a random suffix (retried on collision). */
  public CompletionStage<ObjectNode> create(ResourceType type, String namespace, ObjectNode object, boolean dryRun) {
    String name = Json.name(object);
    String generate = Json.text(object, "metadata.generateName");
    if ((name == null || name.isEmpty()) && generate != null && !generate.isEmpty()) {
      return createGenerated(type, namespace, object, generate, dryRun, GENERATE_NAME_ATTEMPTS);
    }
    return createNamed(type, namespace, name == null ? "" : name, object, dryRun);
  }

  private CompletionStage<ObjectNode> createGenerated(ResourceType type, String namespace, ObjectNode object,
      String generate, boolean dryRun, int attemptsLeft) {
    String name = ObjectRules.randomName(generate);
    return createNamed(type, namespace, name, object, dryRun).exceptionallyCompose(e -> {
      Throwable cause = unwrap(e);
      if (attemptsLeft > 1 && cause instanceof StoreException se && se.error().reason().equals("AlreadyExists")) {
        return createGenerated(type, namespace, object, generate, dryRun, attemptsLeft - 1);
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  private CompletionStage<ObjectNode> createNamed(ResourceType type, String namespace, String name, ObjectNode object,
      boolean dryRun) {
    if (name.isEmpty()) {
      return CompletableFuture.failedFuture(StoreError.invalid(type, "", java.util.List.of(new StoreError.Cause(
          "FieldValueRequired", "Required value: name or generateName is required", "metadata.name"))).exception());
    }
    ObjectKey key = type.key().of(namespace, name);
    if (!validKeyPart(name) || !validKeyPart(key.namespace())) return invalidName(type, name);
    return objectAsk(key, ref -> new ObjectEntity.Create(type, key, object, dryRun, ref)).thenApply(ObjectEntity.Ok::object);
  }

  public CompletionStage<ObjectNode> get(ResourceType type, String namespace, String name) {
    ObjectKey key = type.key().of(namespace, name);
    if (!validKeyPart(name) || !validKeyPart(key.namespace())) {
      return CompletableFuture.failedFuture(StoreError.notFound(type, name).exception());
    }
    return objectAsk(key, ref -> new ObjectEntity.Get(type, key, ref)).thenApply(ObjectEntity.Ok::object);
  }

  /** @param subresource "" or "status" */
  public CompletionStage<ObjectNode> update(ResourceType type, String namespace, String name, ObjectNode object,
      String subresource, boolean dryRun) {
    ObjectKey key = type.key().of(namespace, name);
    if (!validKeyPart(name) || !validKeyPart(key.namespace())) return notFound(type, name);
    return objectAsk(key, ref -> new ObjectEntity.Update(type, key, object, subresource, dryRun, ref))
        .thenApply(ObjectEntity.Ok::object);
  }

  public CompletionStage<ObjectNode> patch(ResourceType type, String namespace, String name, String patchType,
      String patch, String subresource, boolean dryRun) {
    ObjectKey key = type.key().of(namespace, name);
    if (!validKeyPart(name) || !validKeyPart(key.namespace())) return notFound(type, name);
    return objectAsk(key, ref -> new ObjectEntity.Patch(type, key, patchType, patch, subresource, dryRun, ref))
        .thenApply(ObjectEntity.Ok::object);
  }

  /** Completes with the object: gone when it left the store, else marked for deletion (finalizers, grace). */
  public CompletionStage<ObjectEntity.Ok> delete(ResourceType type, String namespace, String name,
      ObjectEntity.DeleteOptions options) {
    ObjectKey key = type.key().of(namespace, name);
    if (!validKeyPart(name) || !validKeyPart(key.namespace())) return notFound(type, name);
    return objectAsk(key, ref -> new ObjectEntity.Delete(type, key, options, ref));
  }

  // ---- lists and watches -------------------------------------------------------------------------------------

  public CompletionStage<ResourceLog.Listed> list(ResourceType type, ListQuery query) {
    return plain(sharding.entityRefFor(ResourceLog.TYPE_KEY, type.storageName())
        .<ResourceLog.ListReply>ask(ref -> new ResourceLog.ListObjects(query, ref), timeout), (reply, failure) -> {
          if (failure != null) throw timeoutOr(failure);
          if (reply instanceof ResourceLog.ListFailed f) throw f.error().exception();
          return (ResourceLog.Listed) reply;
        });
  }

  /**
   * A watch as a stream: {@link WatchMessage.Started}, then events in resourceVersion order, bookmarks if asked;
   * it completes after a {@link WatchMessage.Closed}, and unsubscribes when cancelled.
   */
  public Source<WatchMessage, NotUsed> watch(ResourceType type, WatchQuery query) {
    Pair<ActorRef<WatchMessage>, Source<WatchMessage, NotUsed>> pair = ActorSource.<WatchMessage>actorRef(
            m -> false, m -> Optional.empty(), WATCH_BUFFER, OverflowStrategy.fail())
        .preMaterialize(system);
    watch(type, query, pair.first());
    return pair.second().takeWhile(m -> !(m instanceof WatchMessage.Closed), true);
  }

  /** A watch delivered to an actor, for the scheduler, controllers and node daemons. */
  public void watch(ResourceType type, WatchQuery query, ActorRef<WatchMessage> subscriber) {
    system.systemActorOf(WatchRelay.create(sharding.entityRefFor(ResourceLog.TYPE_KEY, type.storageName()), query,
        subscriber), "watch-" + watchIds.incrementAndGet(), Props.empty());
  }

  public CompletionStage<ResourceLog.Stats> stats(ResourceType type) {
    return plain(sharding.entityRefFor(ResourceLog.TYPE_KEY, type.storageName())
        .<ResourceLog.Stats>ask(ResourceLog.GetStats::new, timeout), (stats, failure) -> {
          if (failure != null) throw timeoutOr(failure);
          return stats;
        });
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  private CompletionStage<ObjectEntity.Ok> objectAsk(ObjectKey key,
      org.apache.pekko.japi.function.Function<ActorRef<ObjectEntity.Reply>, ObjectEntity.Command> message) {
    CompletionStage<ObjectEntity.Reply> asked = sharding.entityRefFor(ObjectEntity.TYPE_KEY, key.persistenceId())
        .ask(message, timeout);
    return plain(asked, (reply, failure) -> {
          if (failure != null) throw timeoutOr(failure);
          if (reply instanceof ObjectEntity.Failed f) throw f.error().exception();
          return (ObjectEntity.Ok) reply;
        });
  }

  /**
   * Maps an ask's outcome on the thread that completes it, into a plain CompletableFuture. Pekko's javadsl asks
   * return stages that run every callback (and those of stages derived from them) asynchronously; without an
   * executor that is the common pool, which on a 2-core machine starts a new thread per callback.
   */
  private static <R, T> CompletableFuture<T> plain(CompletionStage<R> asked,
      java.util.function.BiFunction<R, Throwable, T> map) {
    CompletableFuture<T> out = new CompletableFuture<>();
    asked.whenCompleteAsync((reply, failure) -> {
      try {
        out.complete(map.apply(reply, failure));
      } catch (Throwable t) {
        out.completeExceptionally(t);
      }
    }, SAME_THREAD);
    return out;
  }

  /** Names become key parts: anything that could break the key layout never reaches an entity. */
  private static boolean validKeyPart(String part) {
    return part.indexOf('/') < 0 && !part.equals(".") && !part.equals("..");
  }

  private static <T> CompletionStage<T> invalidName(ResourceType type, String name) {
    return CompletableFuture.failedFuture(StoreError.invalid(type, name, ObjectRules.nameErrors(type, name).stream()
        .map(m -> new StoreError.Cause("FieldValueInvalid", "Invalid value: \"" + name + "\": " + m, "metadata.name"))
        .toList()).exception());
  }

  private static <T> CompletionStage<T> notFound(ResourceType type, String name) {
    return CompletableFuture.failedFuture(StoreError.notFound(type, name).exception());
  }

  private static RuntimeException timeoutOr(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof StoreException se) return se;
    if (cause instanceof TimeoutException) {
      return StoreError.timeout("Timeout: request did not complete within the allotted timeout").exception();
    }
    return StoreError.internal(String.valueOf(cause.getMessage())).exception();
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    return t;
  }
}
