package dev.mqttsidecar.broker.testing;

import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.persistence.InMemoryRetainedPersistence;
import dev.mqttsidecar.broker.persistence.RetainedHeader;
import dev.mqttsidecar.broker.persistence.RetainedPersistence;
import dev.mqttsidecar.broker.persistence.StorageOverloadedException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Retained messages in memory, whose writes fail (as on a full disk) while {@link #fail} or {@link
 * #overload} is in force.
 */
public final class SwitchableRetainedPersistence implements RetainedPersistence {
  private final InMemoryRetainedPersistence delegate = new InMemoryRetainedPersistence();
  private volatile RuntimeException failure; // null: writes work

  /** From now on every write fails and stores nothing (or, with false, works again). */
  public void fail(boolean value) {
    failure = value ? new IllegalStateException("no space left on device") : null;
  }

  /** From now on every write is refused as by a store with too many writes waiting. */
  public void overload() {
    failure = new StorageOverloadedException("65536 writes wait for the disk");
  }

  @Override
  public void loadHeaders(Consumer<RetainedHeader> visitor) {
    delegate.loadHeaders(visitor);
  }

  @Override
  public Optional<RetainedMessage> read(String topic) {
    return delegate.read(topic);
  }

  @Override
  public CompletableFuture<Void> write(List<Change> batch) {
    RuntimeException f = failure;
    return f != null ? CompletableFuture.failedFuture(f) : delegate.write(batch);
  }
}
