package io.kopek.bench;

import io.kopek.persistence.json.Json;
import io.kopek.persistence.resource.ResourceType;
import io.kopek.persistence.store.ObjectStore;
import java.util.concurrent.CompletionStage;

/** kopek's store through its Java API, in the same JVM: no HTTP, no serialization on the client side. */
final class KopekStoreTarget implements Target {
  private final String name;
  private final ObjectStore store;
  private final ResourceType configMaps;

  KopekStoreTarget(String name, ObjectStore store) {
    this.name = name;
    this.store = store;
    this.configMaps = store.registry().byPath("", "v1", "configmaps").orElseThrow();
  }

  ResourceType configMaps() {
    return configMaps;
  }

  ObjectStore store() {
    return store;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CompletionStage<Long> create(String namespace, String name, String payload) {
    return store.create(configMaps, namespace, Payloads.configMap(namespace, name, payload), false)
        .thenApply(Json::resourceVersion);
  }

  @Override
  public CompletionStage<Long> update(String namespace, String name, String payload) {
    return store.patch(configMaps, namespace, name, Payloads.MERGE_PATCH, Payloads.mergePatch(payload), "", false)
        .thenApply(Json::resourceVersion);
  }
}
