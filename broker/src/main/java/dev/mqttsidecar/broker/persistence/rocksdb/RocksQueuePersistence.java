package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Session and shared-group queues in the {@link Column#QUEUES} column family, one entry per message
 * keyed by queue id and sequence. Futures complete when the change is durable. Does not own the
 * store: {@link #close()} leaves it open.
 */
public final class RocksQueuePersistence implements QueuePersistence {
  private final RocksStore store;

  public RocksQueuePersistence(RocksStore store) {
    this.store = store;
  }

  @Override
  public CompletableFuture<Void> append(String queueId, long sequence, Message message) {
    return store.put(
        Column.QUEUES, QueueKeys.key(queueId, sequence), MessageCodec.encodeMessage(message));
  }

  @Override
  public boolean readable() {
    return true;
  }

  @Override
  public Optional<Message> read(String queueId, long sequence) {
    byte[] value = store.get(Column.QUEUES, QueueKeys.key(queueId, sequence));
    return value == null ? Optional.empty() : Optional.of(MessageCodec.decodeMessage(value));
  }

  @Override
  public CompletableFuture<Void> remove(String queueId, long sequence) {
    return store.write(
        List.of(new WriteOp.Delete(Column.QUEUES, QueueKeys.key(queueId, sequence))));
  }

  @Override
  public CompletableFuture<Void> drop(String queueId) {
    return store.write(
        List.of(
            new WriteOp.DeleteRange(
                Column.QUEUES, QueueKeys.start(queueId), QueueKeys.end(queueId))));
  }

  /** Every stored queue, by queue id, each in sequence order, messages whole. */
  public Map<String, List<StoredQueueEntry>> loadQueues() {
    return scanQueues(false);
  }

  /**
   * Every stored queue, by queue id, each in sequence order, with the messages' payloads and
   * properties left in the store (see {@link #read}); for the broker's start, so a large backlog
   * does not have to fit in memory.
   */
  public Map<String, List<StoredQueueEntry>> loadQueueHeaders() {
    return scanQueues(true);
  }

  private Map<String, List<StoredQueueEntry>> scanQueues(boolean headersOnly) {
    Map<String, List<StoredQueueEntry>> queues = new LinkedHashMap<>();
    store.scan(
        Column.QUEUES,
        null,
        null,
        (key, value) -> {
          Message m = MessageCodec.decodeMessage(value);
          queues
              .computeIfAbsent(QueueKeys.queueId(key), id -> new ArrayList<>())
              .add(
                  new StoredQueueEntry(
                      QueueKeys.sequence(key),
                      headersOnly ? m.withoutContent() : m,
                      headersOnly,
                      m.payloadSize()));
        });
    return queues;
  }

  /** One queue in sequence order. */
  public List<StoredQueueEntry> loadQueue(String queueId) {
    List<StoredQueueEntry> entries = new ArrayList<>();
    store.scan(
        Column.QUEUES,
        QueueKeys.start(queueId),
        QueueKeys.end(queueId),
        (key, value) ->
            entries.add(
                new StoredQueueEntry(QueueKeys.sequence(key), MessageCodec.decodeMessage(value))));
    return entries;
  }
}
