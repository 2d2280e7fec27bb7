package io.kopek.persistence.log;

import io.kopek.persistence.CborSerializable;

/**
 * A list request as Kubernetes clients send it.
 *
 * @param namespace            "" for all namespaces
 * @param resourceVersion      "" or "0": the latest; "N": not older than N (or exactly N with match "Exact")
 * @param limit                0 for no limit
 * @param continueToken        from the previous page, or ""
 */
public record ListQuery(String namespace, String labelSelector, String fieldSelector, String resourceVersion,
    String resourceVersionMatch, long limit, String continueToken) implements CborSerializable {

  public static ListQuery all(String namespace) {
    return new ListQuery(namespace, "", "", "", "", 0, "");
  }
}
