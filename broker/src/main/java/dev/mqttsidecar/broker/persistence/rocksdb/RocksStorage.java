package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.StorageObserver;
import dev.mqttsidecar.broker.persistence.CachedRetainedPersistence;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import dev.mqttsidecar.broker.persistence.RestoredSession;
import dev.mqttsidecar.broker.persistence.RetainedPersistence;
import dev.mqttsidecar.broker.persistence.SessionPersistence;
import dev.mqttsidecar.broker.persistence.Storage;
import dev.mqttsidecar.broker.persistence.StorageException;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import dev.mqttsidecar.broker.persistence.StoredWill;
import dev.mqttsidecar.broker.persistence.WillPersistence;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The durable modes' storage: retained messages, session records, queues and wills in one {@link
 * RocksStore}. Closing closes the store.
 */
public final class RocksStorage implements Storage {
  /** Retained payloads kept in memory; the rest is read from disk. */
  static final long RETAINED_CACHE_BYTES = 32L << 20;

  private final StoreConfig config;
  private final RocksStore store;
  private final RetainedPersistence retained;
  private final RocksQueuePersistence queues;
  private final RocksSessionPersistence sessions;
  private final RocksWillPersistence wills;

  private RocksStorage(StoreConfig config, RocksStore store, Clock clock) {
    this.config = config;
    this.store = store;
    this.retained =
        new CachedRetainedPersistence(
            new RocksRetainedPersistence(store, clock), RETAINED_CACHE_BYTES);
    this.queues = new RocksQueuePersistence(store);
    this.sessions = new RocksSessionPersistence(store);
    this.wills = new RocksWillPersistence(store);
  }

  /**
   * Opens (or creates) the data directory of {@code config}, a durable mode; fails with a {@link
   * StorageException} rather than start empty over data it cannot read.
   */
  public static RocksStorage open(StoreConfig config, Clock clock) {
    return new RocksStorage(config, RocksStore.open(config), clock);
  }

  /** Who is told how long disk writes and fsyncs take. */
  public void observe(StorageObserver observer) {
    store.observe(observer);
  }

  @Override
  public Durability durability() {
    return config.durability();
  }

  @Override
  public String describe() {
    return store.directory() + " (" + config.durability().configName() + ")";
  }

  @Override
  public RetainedPersistence retained() {
    return retained;
  }

  @Override
  public QueuePersistence queues() {
    return queues;
  }

  @Override
  public SessionPersistence sessions() {
    return sessions;
  }

  @Override
  public WillPersistence wills() {
    return wills;
  }

  @Override
  public Map<String, StoredWill> loadWills() {
    return wills.load();
  }

  @Override
  public Map<String, RestoredSession> loadSessions() {
    return sessions.loadSessions();
  }

  @Override
  public Map<String, List<StoredQueueEntry>> loadQueues() {
    return queues.loadQueueHeaders();
  }

  /** Writer counters. */
  public WriterStats stats() {
    return store.stats();
  }

  @Override
  public void close() {
    retained.close();
    queues.close();
    store.close(); // writes and syncs what is still queued
  }
}
