package io.kopek.bench;

import java.util.concurrent.CompletionStage;

/** A store under test. Both operations complete with the version the store gave the write. */
interface Target {
  String name();

  /** Creates a ConfigMap (kopek) or puts a new key (etcd). */
  CompletionStage<Long> create(String namespace, String name, String payload);

  /** Merge-patches an existing ConfigMap's data (kopek) or puts a new value under an existing key (etcd). */
  CompletionStage<Long> update(String namespace, String name, String payload);
}
