package dev.mqttsidecar.broker.persistence;

import dev.mqttsidecar.broker.RetainedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;

/** Keeps retained messages in memory only: nothing survives a restart of the process. */
public final class InMemoryRetainedPersistence implements RetainedPersistence {
  private final ConcurrentSkipListMap<String, RetainedMessage> store =
      new ConcurrentSkipListMap<>();

  @Override
  public List<RetainedMessage> loadAll() {
    return new ArrayList<>(store.values());
  }

  @Override
  public synchronized CompletableFuture<Void> write(List<Change> batch) {
    for (Change c : batch) {
      if (c.value() == null) {
        store.remove(c.topic());
      } else {
        store.put(c.topic(), c.value());
      }
    }
    return CompletableFuture.completedFuture(null);
  }
}
