package io.kopek.persistence.entity;

import io.kopek.persistence.CborSerializable;

/**
 * Where one API object lives. Its persistence id mirrors the etcd key Kubernetes uses:
 * {@code /registry/pods/default/nginx}, cluster-scoped objects without a namespace.
 *
 * @param resource  the store's resource name ("pods", "deployments.apps")
 * @param prefix    the key prefix ("/registry/pods")
 * @param namespace "" for cluster-scoped objects
 */
public record ObjectKey(String resource, String prefix, String namespace, String name) implements CborSerializable {

  public String persistenceId() {
    return namespace.isEmpty() ? prefix + "/" + name : prefix + "/" + namespace + "/" + name;
  }

  /** The order lists are returned in, as etcd's key order: namespace, then name. */
  public String sortKey() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }

  /** Rebuilds a key from a persistence id under the given prefix, or null if it is not one of them. */
  public static ObjectKey fromPersistenceId(String resource, String prefix, boolean namespaced, String pid) {
    if (!pid.startsWith(prefix + "/")) return null;
    String rest = pid.substring(prefix.length() + 1);
    int slash = rest.indexOf('/');
    if (namespaced) {
      if (slash <= 0 || rest.indexOf('/', slash + 1) >= 0) return null;
      return new ObjectKey(resource, prefix, rest.substring(0, slash), rest.substring(slash + 1));
    }
    if (slash >= 0 || rest.isEmpty()) return null;
    return new ObjectKey(resource, prefix, "", rest);
  }
}
