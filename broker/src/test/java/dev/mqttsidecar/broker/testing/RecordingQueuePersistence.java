package dev.mqttsidecar.broker.testing;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A queue store in memory that records every write as text ({@code "append q 1 topic"}, {@code
 * "remove q 1"}, {@code "drop q"}); appends can be held until released, or fail.
 */
public final class RecordingQueuePersistence implements QueuePersistence {
  private final List<String> calls = new ArrayList<>();
  private final Map<String, Message> stored = new LinkedHashMap<>();
  private final List<CompletableFuture<Void>> held = new ArrayList<>();
  private final boolean readable;
  private boolean holdAppends;
  private Throwable appendFailure;

  /**
   * @param readable whether {@link #read} gives messages back (queues may then spill)
   */
  public RecordingQueuePersistence(boolean readable) {
    this.readable = readable;
  }

  /** Appends from now on complete only at {@link #releaseAppends}. */
  public RecordingQueuePersistence holdAppends() {
    holdAppends = true;
    return this;
  }

  /** Appends from now on fail with {@code failure}. */
  public RecordingQueuePersistence failAppends(Throwable failure) {
    appendFailure = failure;
    return this;
  }

  /** Completes the held appends, in order. */
  public void releaseAppends() {
    List<CompletableFuture<Void>> now = new ArrayList<>(held);
    held.clear();
    now.forEach(f -> f.complete(null));
  }

  /** Loses a stored entry behind the queue's back, as a damaged store would. */
  public void lose(String queueId, long sequence) {
    stored.remove(key(queueId, sequence));
  }

  /** Every write so far, in order. */
  public List<String> calls() {
    return calls;
  }

  /** The writes since the last call, in order. */
  public List<String> take() {
    List<String> taken = List.copyOf(calls);
    calls.clear();
    return taken;
  }

  /** The keys ({@code "queueId#sequence"}) of the entries stored now. */
  public List<String> storedKeys() {
    return List.copyOf(stored.keySet());
  }

  @Override
  public CompletableFuture<Void> append(String queueId, long sequence, Message message) {
    calls.add("append " + queueId + " " + sequence + " " + message.topic());
    stored.put(key(queueId, sequence), message);
    if (appendFailure != null) {
      return CompletableFuture.failedFuture(appendFailure);
    }
    if (holdAppends) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      held.add(f);
      return f;
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public boolean readable() {
    return readable;
  }

  @Override
  public Optional<Message> read(String queueId, long sequence) {
    return readable ? Optional.ofNullable(stored.get(key(queueId, sequence))) : Optional.empty();
  }

  @Override
  public CompletableFuture<Void> remove(String queueId, long sequence) {
    calls.add("remove " + queueId + " " + sequence);
    stored.remove(key(queueId, sequence));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> drop(String queueId) {
    calls.add("drop " + queueId);
    stored.keySet().removeIf(k -> k.startsWith(queueId + "#"));
    return CompletableFuture.completedFuture(null);
  }

  private static String key(String queueId, long sequence) {
    return queueId + "#" + sequence;
  }
}
