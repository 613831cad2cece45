package dev.mqttsidecar.broker.persistence;

import dev.mqttsidecar.broker.Durability;
import java.util.List;
import java.util.Map;

/**
 * Everything the broker stores, for one durability mode: what it plugs into its services, and what
 * it reads back at start. Closing writes and syncs what is still queued.
 */
public interface Storage extends AutoCloseable {

  Durability durability();

  /** For the startup log line: where data goes, or that nothing survives a restart. */
  String describe();

  RetainedPersistence retained();

  QueuePersistence queues();

  SessionPersistence sessions();

  WillPersistence wills();

  /** Stored sessions by key, for the broker's start. */
  Map<String, RestoredSession> loadSessions();

  /** Stored queues by id, for the broker's start; message contents stay in the store. */
  Map<String, List<StoredQueueEntry>> loadQueues();

  /** Stored wills by client id: the wills of connections the previous process lost. */
  Map<String, StoredWill> loadWills();

  /** Call after the broker stopped. */
  @Override
  void close();
}
