package dev.mqttsidecar.broker.testing;

import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.persistence.InMemoryRetainedPersistence;
import dev.mqttsidecar.broker.persistence.RetainedHeader;
import dev.mqttsidecar.broker.persistence.RetainedPersistence;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Retained messages in memory, whose writes fail (as on a full disk) while {@link #fail} is set.
 */
public final class SwitchableRetainedPersistence implements RetainedPersistence {
  private final InMemoryRetainedPersistence delegate = new InMemoryRetainedPersistence();
  private volatile boolean failing;

  /** From now on every write fails and stores nothing (or, with false, works again). */
  public void fail(boolean value) {
    failing = value;
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
    return failing
        ? CompletableFuture.failedFuture(new IllegalStateException("no space left on device"))
        : delegate.write(batch);
  }
}
