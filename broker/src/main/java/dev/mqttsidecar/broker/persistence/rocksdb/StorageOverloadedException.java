package dev.mqttsidecar.broker.persistence.rocksdb;

import java.util.concurrent.CompletionException;

/**
 * A write was refused because the queue of writes waiting for the disk is full. Nothing was
 * written; the caller reports overload (MQTT reason code 0x97 Quota exceeded or 0x80, gRPC {@code
 * RESOURCE_EXHAUSTED}) and the client may retry.
 */
public final class StorageOverloadedException extends StorageException {
  private static final long serialVersionUID = 1L;

  public StorageOverloadedException(String message) {
    super(message);
  }

  /** The failure behind the {@link CompletionException}s a future chain wraps it in. */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
