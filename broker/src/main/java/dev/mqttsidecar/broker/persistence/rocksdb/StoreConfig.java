package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the durable store.
 *
 * @param directory the data directory (created if missing)
 * @param durability when a write counts as durable
 * @param syncInterval how often the log is fsync'd in {@link Durability#PERIODIC} mode
 * @param maxPendingWrites writes waiting for the disk before new ones are refused (back-pressure)
 * @param maxPendingBytes bytes waiting for the disk before new writes are refused (a single write
 *     larger than this is still taken when nothing else waits)
 * @param maxGroupWrites most writes merged into one disk write and sync
 * @param blockCacheBytes memory of the engine: block cache, index and filter blocks and memtables
 */
public record StoreConfig(
    Path directory,
    Durability durability,
    Duration syncInterval,
    int maxPendingWrites,
    long maxPendingBytes,
    int maxGroupWrites,
    long blockCacheBytes) {

  /** Default data directory, relative to the working directory. */
  public static final Path DEFAULT_DIRECTORY = Path.of("data");

  /** Default sync interval of {@link Durability#PERIODIC}. */
  public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMillis(100);

  public StoreConfig {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(syncInterval, "syncInterval");
    if (syncInterval.isNegative() || syncInterval.isZero()) {
      throw new IllegalArgumentException("syncInterval must be positive, was " + syncInterval);
    }
    if (maxPendingWrites < 1 || maxPendingBytes < 1 || maxGroupWrites < 1 || blockCacheBytes < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  /** Durable ({@link Durability#FSYNC}) store in {@code directory} with default limits. */
  public static StoreConfig fsync(Path directory) {
    return new StoreConfig(
        directory, Durability.FSYNC, DEFAULT_SYNC_INTERVAL, 65_536, 256L << 20, 4_096, 64L << 20);
  }

  public StoreConfig withDurability(Durability value) {
    return new StoreConfig(
        directory,
        value,
        syncInterval,
        maxPendingWrites,
        maxPendingBytes,
        maxGroupWrites,
        blockCacheBytes);
  }

  public StoreConfig withSyncInterval(Duration value) {
    return new StoreConfig(
        directory,
        durability,
        value,
        maxPendingWrites,
        maxPendingBytes,
        maxGroupWrites,
        blockCacheBytes);
  }

  public StoreConfig withMaxPendingWrites(int value) {
    return new StoreConfig(
        directory,
        durability,
        syncInterval,
        value,
        maxPendingBytes,
        maxGroupWrites,
        blockCacheBytes);
  }

  public StoreConfig withMaxPendingBytes(long value) {
    return new StoreConfig(
        directory,
        durability,
        syncInterval,
        maxPendingWrites,
        value,
        maxGroupWrites,
        blockCacheBytes);
  }
}
