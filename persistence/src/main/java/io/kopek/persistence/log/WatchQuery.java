package io.kopek.persistence.log;

import io.kopek.persistence.CborSerializable;

/**
 * A watch request.
 *
 * @param resourceVersion "" or "0": synthetic ADDED events for the current state, then changes; "N": every change
 *                        after N
 */
public record WatchQuery(String namespace, String labelSelector, String fieldSelector, String resourceVersion,
    boolean allowBookmarks) implements CborSerializable {

  public static WatchQuery from(String namespace, long resourceVersion) {
    return new WatchQuery(namespace, "", "", Long.toString(resourceVersion), true);
  }
}
