package io.kopek.launcher;

import io.kopek.persistence.json.Json;
import io.kopek.persistence.resource.ResourceType;
import io.kopek.persistence.store.ObjectStore;
import io.kopek.persistence.store.StoreException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The namespaces every Kubernetes cluster has from the start. Creating them again is harmless. */
final class SystemNamespaces {
  static final List<String> NAMES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private SystemNamespaces() {}

  /** Retries while the store is still coming up (a fresh Cassandra keyspace takes a while to create). */
  static void ensure(ObjectStore store, java.time.Duration patience) throws Exception {
    ResourceType namespaces = store.registry().byPath("", "v1", "namespaces").orElseThrow();
    long deadline = System.nanoTime() + patience.toNanos();
    for (String name : NAMES) {
      var ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
      ns.putObject("metadata").put("name", name);
      while (true) {
        try {
          store.create(namespaces, "", ns, false).toCompletableFuture().get(60, TimeUnit.SECONDS);
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof StoreException se) {
            if (se.error().reason().equals("AlreadyExists")) break;
            if (se.error().code() >= 500 && System.nanoTime() < deadline) {
              Thread.sleep(500);
              continue;
            }
          }
          throw e;
        }
      }
    }
  }
}
