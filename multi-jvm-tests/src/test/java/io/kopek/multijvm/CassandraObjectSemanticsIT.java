package io.kopek.multijvm;

import io.kopek.persistence.entity.ObjectSemanticsContract;

/** The object rules, on a real Cassandra through pekko-persistence-cassandra. */
class CassandraObjectSemanticsIT extends ObjectSemanticsContract {
  @Override
  protected String storeUri() {
    try {
      return RealCassandra.store("semantics");
    } catch (Exception e) {
      throw new IllegalStateException("Cassandra did not start: " + e.getMessage(), e);
    }
  }
}
