package io.kopek.persistence;

/** Marks every message, event and snapshot that crosses the wire or reaches the journal (Jackson CBOR). */
public interface CborSerializable {}
