package io.kopek.persistence.log;

import io.kopek.persistence.CborSerializable;
import java.time.Duration;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The highest resourceVersion a resource log may hand out, persisted a block ahead. After any restart the log
 * continues above the last ceiling, so resourceVersions only ever increase and are never reused, at the cost of
 * one small write per block.
 */
public final class VersionCeiling
    extends EventSourcedBehavior<VersionCeiling.Reserve, VersionCeiling.Raised, VersionCeiling.Ceiling> {

  /** Raise the ceiling by one block; the reply's previous ceiling bounds everything handed out before. */
  public record Reserve(long block, ActorRef<Reserved> replyTo) implements CborSerializable {}

  public record Reserved(long previous, long ceiling) implements CborSerializable {}

  public record Raised(long ceiling) implements CborSerializable {}

  public record Ceiling(long value) implements CborSerializable {}

  public static Behavior<Reserve> create(String resource) {
    return new VersionCeiling(resource);
  }

  private VersionCeiling(String resource) {
    // A failed write (journal down, tables not there yet) restarts it, so the log can simply ask again.
    super(PersistenceId.ofUniqueId("/kopek/resource-versions/" + resource),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
  }

  @Override
  public Ceiling emptyState() {
    return new Ceiling(0);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(20, 1).withDeleteEventsOnSnapshot();
  }

  @Override
  public CommandHandler<Reserve, Raised, Ceiling> commandHandler() {
    return (state, cmd) -> {
      return Effect().persist(new Raised(state.value() + cmd.block())).thenReply(cmd.replyTo(), s -> new Reserved(state.value(), s.value()));
    };
  }

  @Override
  public EventHandler<Ceiling, Raised> eventHandler() {
    return (state, event) -> new Ceiling(event.ceiling());
  }
}
