package io.kopek.persistence.store;

import io.kopek.persistence.log.ResourceLog;
import io.kopek.persistence.log.WatchMessage;
import io.kopek.persistence.log.WatchQuery;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Sits between a resource log and one watcher: it ends the watch with a Closed message if the log goes away (its
 * member died or it moved), so the watcher resumes from its last resourceVersion instead of waiting forever, and it
 * unsubscribes from the log when the watcher goes away.
 */
final class WatchRelay {
  private WatchRelay() {}

  static Behavior<WatchMessage> create(EntityRef<ResourceLog.Command> log, WatchQuery query, ActorRef<WatchMessage> target) {
    return Behaviors.<WatchMessage>setup(ctx -> {
      ctx.watch(target);
      log.tell(new ResourceLog.Watch(query, ctx.getSelf()));
      return Behaviors.receive(WatchMessage.class)
          .onMessage(WatchMessage.class, msg -> {
            if (msg instanceof WatchMessage.Started s) ctx.watch(s.log());
            target.tell(msg);
            return msg instanceof WatchMessage.Closed ? Behaviors.stopped() : Behaviors.same();
          })
          .onSignal(Terminated.class, t -> {
            if (t.getRef().equals(target)) {
              log.tell(new ResourceLog.Unwatch(ctx.getSelf()));
            } else {
              target.tell(new WatchMessage.Closed(StoreError.unavailable(
                  "the watch cache of this resource moved; watch again from the last resourceVersion")));
            }
            return Behaviors.stopped();
          })
          .build();
    });
  }
}
