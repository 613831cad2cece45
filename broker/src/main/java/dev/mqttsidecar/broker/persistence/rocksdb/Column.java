package dev.mqttsidecar.broker.persistence.rocksdb;

import java.nio.charset.StandardCharsets;

/** The store's column families: one key space per kind of data. */
public enum Column {
  /** Retained messages by topic. */
  RETAINED("retained"),
  /** Queued messages by queue id and sequence. */
  QUEUES("queues"),
  /** Persistent session state by session key. */
  SESSIONS("sessions"),
  /** Store metadata: the format version, counters that must never go back. */
  META("meta");

  private final String familyName;

  Column(String familyName) {
    this.familyName = familyName;
  }

  /** The RocksDB column family name. */
  public byte[] familyName() {
    return familyName.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return familyName;
  }
}
