package dev.mqttsidecar.broker;

/**
 * Told how long the durable store's disk work takes, for metrics. Called on the store's writer
 * thread: an implementation records and returns at once.
 */
public interface StorageObserver {
  StorageObserver NONE = new StorageObserver() {};

  /**
   * One merged disk write of {@code writes} writes took {@code nanos}; {@code synced} when it
   * included the write-ahead log's fsync ({@link Durability#FSYNC}).
   */
  default void written(int writes, long nanos, boolean synced) {}

  /** A periodic fsync of the write-ahead log ({@link Durability#PERIODIC}) took {@code nanos}. */
  default void synced(long nanos) {}
}
