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
  META("meta"),
  /** Wills of connections that may still publish one, by client id. */
  WILLS("wills", true);

  private final String familyName;
  private final boolean addedLater;

  Column(String familyName) {
    this(familyName, false);
  }

  Column(String familyName, boolean addedLater) {
    this.familyName = familyName;
    this.addedLater = addedLater;
  }

  /**
   * Whether stores written before this family existed lack it: opening such a store creates it
   * empty, rather than refusing the store as damaged.
   */
  public boolean addedLater() {
    return addedLater;
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
