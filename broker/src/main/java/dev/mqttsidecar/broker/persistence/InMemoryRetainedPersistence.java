package dev.mqttsidecar.broker.persistence;

import dev.mqttsidecar.broker.RetainedMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Keeps retained messages in memory only: nothing survives a restart of the process. */
public final class InMemoryRetainedPersistence implements RetainedPersistence {
  private final ConcurrentHashMap<String, RetainedMessage> byTopic = new ConcurrentHashMap<>();

  @Override
  public void loadHeaders(Consumer<RetainedHeader> visitor) {
    byTopic.values().forEach(m -> visitor.accept(RetainedHeader.of(m)));
  }

  @Override
  public Optional<RetainedMessage> read(String topic) {
    return Optional.ofNullable(byTopic.get(topic));
  }

  @Override
  public synchronized CompletableFuture<Void> write(List<Change> batch) {
    for (Change c : batch) {
      if (c.value() == null) {
        byTopic.remove(c.topic());
      } else {
        byTopic.put(c.topic(), c.value());
      }
    }
    return CompletableFuture.completedFuture(null);
  }
}
