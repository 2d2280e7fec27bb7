package io.kopek.persistence.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.CborSerializable;
import io.kopek.persistence.store.StoreError;
import org.apache.pekko.actor.typed.ActorRef;

/** What a watcher receives, in resourceVersion order. */
public sealed interface WatchMessage extends CborSerializable {

  /** First message of every watch: the log to death-watch, so a watcher learns when its log went away. */
  record Started(ActorRef<ResourceLog.Command> log) implements WatchMessage {}

  /** @param type ADDED, MODIFIED or DELETED, as seen through the watcher's filter */
  record Event(String type, ObjectNode object, long resourceVersion) implements WatchMessage {}

  /** Everything up to this resourceVersion has been delivered. */
  record Bookmark(long resourceVersion) implements WatchMessage {}

  /** The watch ended: Expired when resumed from a version older than the window, or the log moved. */
  record Closed(StoreError error) implements WatchMessage {}
}
