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

  static void ensure(ObjectStore store) throws Exception {
    ResourceType namespaces = store.registry().byPath("", "v1", "namespaces").orElseThrow();
    for (String name : NAMES) {
      var ns = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
      ns.putObject("metadata").put("name", name);
      try {
        store.create(namespaces, "", ns, false).toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof StoreException se && se.error().reason().equals("AlreadyExists"))) throw e;
      }
    }
  }
}
