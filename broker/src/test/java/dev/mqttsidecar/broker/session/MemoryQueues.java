package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Durable queues in a map, readable, recording each write as a line ({@code append k 1}, {@code
 * remove k 1}, {@code drop k}); appends fail while {@link #failAppends} is set.
 */
final class MemoryQueues implements QueuePersistence {
  private final Map<String, Map<Long, Message>> queues = new HashMap<>();
  private final List<String> writes = new ArrayList<>();
  private RuntimeException appendFailure;

  List<String> take() {
    List<String> taken = List.copyOf(writes);
    writes.clear();
    return taken;
  }

  void failAppends(RuntimeException failure) {
    appendFailure = failure;
  }

  /** Loses a stored message behind the broker's back. */
  void lose(String queueId, long sequence) {
    queues.getOrDefault(queueId, Map.of()).remove(sequence);
  }

  @Override
  public CompletableFuture<Void> append(String queueId, long sequence, Message message) {
    writes.add("append " + queueId + " " + sequence);
    if (appendFailure != null) {
      return CompletableFuture.failedFuture(appendFailure);
    }
    queues.computeIfAbsent(queueId, k -> new HashMap<>()).put(sequence, message);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public boolean readable() {
    return true;
  }

  @Override
  public Optional<Message> read(String queueId, long sequence) {
    return Optional.ofNullable(queues.getOrDefault(queueId, Map.of()).get(sequence));
  }

  @Override
  public CompletableFuture<Void> remove(String queueId, long sequence) {
    writes.add("remove " + queueId + " " + sequence);
    queues.getOrDefault(queueId, new HashMap<>()).remove(sequence);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> drop(String queueId) {
    writes.add("drop " + queueId);
    queues.remove(queueId);
    return CompletableFuture.completedFuture(null);
  }
}
