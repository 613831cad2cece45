package dev.mqttsidecar.state;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.RetainedStore;
import dev.mqttsidecar.broker.RetainedWrite;
import dev.mqttsidecar.broker.RetainedWriteResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A small in-memory {@link RetainedStore} with the contract's semantics: broker-wide increasing
 * versions, atomic in-order conditional multi-writes, expiry by an injected clock, and the final
 * value of each written topic handed to listeners (standing in for live subscribers).
 */
public final class InMemoryRetainedStore implements RetainedStore {
  private final Clock clock;
  private final TreeMap<String, RetainedMessage> messages = new TreeMap<>();
  private final List<Consumer<Message>> listeners = new CopyOnWriteArrayList<>();
  private long lastVersion;
  private volatile RetainedWriteResult.Status storageFailure; // null: writes succeed

  public InMemoryRetainedStore(Clock clock) {
    this.clock = clock;
  }

  /** Receives each written topic's final value (an empty payload for a delete). */
  public void onPublish(Consumer<Message> listener) {
    listeners.add(listener);
  }

  public void failStorage(boolean fail) {
    this.storageFailure = fail ? RetainedWriteResult.Status.STORAGE_FAILED : null;
  }

  /** Writes are refused as by a store with too many writes waiting for the disk. */
  public void overloadStorage() {
    this.storageFailure = RetainedWriteResult.Status.STORAGE_BUSY;
  }

  /** What an MQTT client's retained PUBLISH does: an unconditional write. */
  public long publishRetained(Message message) {
    RetainedWriteResult r =
        write(
                List.of(
                    message.payloadSize() == 0
                        ? RetainedWrite.delete(message.topic(), RetainedWrite.ANY_VERSION)
                        : RetainedWrite.set(message, RetainedWrite.ANY_VERSION)))
            .join();
    return r.versions().get(0);
  }

  @Override
  public synchronized Optional<RetainedMessage> get(String topic) {
    RetainedMessage m = messages.get(topic);
    if (m == null || m.message().isExpired(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(m);
  }

  @Override
  public synchronized List<String> topics(String topicPrefix) {
    return list(topicPrefix).stream().map(m -> m.message().topic()).toList();
  }

  @Override
  public synchronized List<RetainedMessage> list(String topicPrefix) {
    List<RetainedMessage> out = new ArrayList<>();
    for (RetainedMessage m : messages.tailMap(topicPrefix, true).values()) {
      if (!m.message().topic().startsWith(topicPrefix)) {
        break;
      }
      if (!m.message().isExpired(clock.instant())) {
        out.add(m);
      }
    }
    return out;
  }

  @Override
  public CompletableFuture<RetainedWriteResult> write(List<RetainedWrite> writes) {
    Map<String, Message> finals = new LinkedHashMap<>();
    RetainedWriteResult result;
    synchronized (this) {
      result = apply(writes, finals);
    }
    if (result.applied()) {
      finals.values().forEach(m -> listeners.forEach(l -> l.accept(m)));
    }
    // Complete on another thread, as a real broker's persistence would.
    return CompletableFuture.supplyAsync(() -> result);
  }

  private RetainedWriteResult apply(List<RetainedWrite> writes, Map<String, Message> finals) {
    if (storageFailure != null) {
      return new RetainedWriteResult(storageFailure, -1, List.of(), "disk");
    }
    Map<String, Optional<RetainedMessage>> view = new LinkedHashMap<>();
    List<Long> versions = new ArrayList<>();
    long next = lastVersion;
    for (int i = 0; i < writes.size(); i++) {
      RetainedWrite w = writes.get(i);
      if (w.topic().contains("+") || w.topic().contains("#") || w.topic().isEmpty()) {
        return new RetainedWriteResult(
            RetainedWriteResult.Status.INVALID, i, List.of(), "bad topic");
      }
      Optional<RetainedMessage> current =
          view.containsKey(w.topic()) ? view.get(w.topic()) : get(w.topic());
      long currentVersion = current.map(RetainedMessage::version).orElse(0L);
      if (w.expectedVersion() != RetainedWrite.ANY_VERSION
          && w.expectedVersion() != currentVersion) {
        return new RetainedWriteResult(
            RetainedWriteResult.Status.CONFLICT, i, List.of(), "version");
      }
      if (w.replacement() == null) {
        view.put(w.topic(), Optional.empty());
        versions.add(0L);
      } else {
        next++;
        view.put(w.topic(), Optional.of(new RetainedMessage(w.replacement(), next)));
        versions.add(next);
      }
    }
    lastVersion = next;
    view.forEach(
        (topic, m) -> {
          if (m.isPresent()) {
            messages.put(topic, m.get());
            finals.put(topic, m.get().message());
          } else {
            messages.remove(topic);
            finals.put(topic, Message.of(topic, new byte[0], Qos.AT_MOST_ONCE, true));
          }
        });
    return new RetainedWriteResult(RetainedWriteResult.Status.APPLIED, -1, versions, "");
  }

  @Override
  public synchronized long size() {
    return messages.size();
  }
}
