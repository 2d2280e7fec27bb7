package io.kopek.persistence.entity;

/** The object rules on the embedded journal (H2, in memory). */
class ObjectSemanticsTest extends ObjectSemanticsContract {
  @Override
  protected String storeUri() {
    return "memory";
  }
}
