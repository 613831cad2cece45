package dev.mqttsidecar.broker.persistence;

import dev.mqttsidecar.broker.Durability;
import java.util.List;
import java.util.Map;

/**
 * {@link Durability#MEMORY}: retained messages in memory, no session or will records, nothing on
 * disk. Tests may plug in their own retained or queue persistence.
 */
public final class MemoryStorage implements Storage {
  private final RetainedPersistence retained;
  private final QueuePersistence queues;

  public MemoryStorage() {
    this(new InMemoryRetainedPersistence(), QueuePersistence.NONE);
  }

  public MemoryStorage(RetainedPersistence retained, QueuePersistence queues) {
    this.retained = retained;
    this.queues = queues;
  }

  @Override
  public Durability durability() {
    return Durability.MEMORY;
  }

  @Override
  public String describe() {
    return "in memory only (nothing survives a restart)";
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
    return SessionPersistence.NONE;
  }

  @Override
  public WillPersistence wills() {
    return WillPersistence.NONE;
  }

  @Override
  public Map<String, StoredWill> loadWills() {
    return Map.of();
  }

  @Override
  public Map<String, RestoredSession> loadSessions() {
    return Map.of();
  }

  @Override
  public Map<String, List<StoredQueueEntry>> loadQueues() {
    return Map.of();
  }

  @Override
  public void close() {
    retained.close();
    queues.close();
  }
}
