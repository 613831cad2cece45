package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.persistence.CachedRetainedPersistence;
import dev.mqttsidecar.broker.persistence.InMemoryRetainedPersistence;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import dev.mqttsidecar.broker.persistence.RetainedPersistence;
import dev.mqttsidecar.broker.persistence.SessionPersistence;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The broker's persistence for one durability mode: what the broker plugs into its services and
 * restores from at start. {@link Durability#MEMORY} maps to the in-memory implementations and
 * touches no disk; the durable modes share one {@link RocksStore}. Closing closes the store.
 */
public final class BrokerStorage implements AutoCloseable {
  /** Retained payloads kept in memory in a durable mode; the rest is read from disk. */
  static final long RETAINED_CACHE_BYTES = 32L << 20;

  private final Durability durability;
  private final RocksStore store; // null in memory mode
  private final RetainedPersistence retained;
  private final QueuePersistence queues;
  private final RocksSessionPersistence sessions; // null in memory mode

  private BrokerStorage(
      Durability durability,
      RocksStore store,
      RetainedPersistence retained,
      QueuePersistence queues) {
    this.durability = durability;
    this.store = store;
    this.retained = retained;
    this.queues = queues;
    this.sessions = store == null ? null : new RocksSessionPersistence(store);
  }

  /**
   * Opens the storage of {@code config}; in a durable mode this opens (or creates) the data
   * directory and fails with a {@link StorageException} rather than start empty over data it cannot
   * read.
   */
  public static BrokerStorage open(StoreConfig config, Clock clock) {
    if (config.durability() == Durability.MEMORY) {
      return new BrokerStorage(
          Durability.MEMORY, null, new InMemoryRetainedPersistence(), QueuePersistence.NONE);
    }
    RocksStore store = RocksStore.open(config);
    return new BrokerStorage(
        config.durability(),
        store,
        new CachedRetainedPersistence(
            new RocksRetainedPersistence(store, clock), RETAINED_CACHE_BYTES),
        new RocksQueuePersistence(store));
  }

  public Durability durability() {
    return durability;
  }

  /** A description for the startup log line: the directory, or that nothing is stored. */
  public String describe() {
    return store == null
        ? "in memory only (nothing survives a restart)"
        : store.directory() + " (" + durability.configName() + ")";
  }

  public RetainedPersistence retained() {
    return retained;
  }

  public QueuePersistence queues() {
    return queues;
  }

  /** Session records (nothing stored in memory mode). */
  public SessionPersistence sessions() {
    return sessions == null ? SessionPersistence.NONE : sessions;
  }

  /** Stored sessions by key, for the broker's start (empty in memory mode). */
  public Map<String, RestoredSession> loadSessions() {
    return sessions == null ? Map.of() : sessions.loadSessions();
  }

  /**
   * Stored queues by id, for the broker's start (empty in memory mode), their messages' content
   * left in the store.
   */
  public Map<String, List<StoredQueueEntry>> loadQueues() {
    return queues instanceof RocksQueuePersistence q ? q.loadQueueHeaders() : Map.of();
  }

  /** Writer counters (zeros in memory mode). */
  public WriterStats stats() {
    return store == null ? new WriterStats(0, 0, 0, 0, 0) : store.stats();
  }

  /** Writes and syncs what is queued, then closes the store. Call after the broker stopped. */
  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
  }
}
