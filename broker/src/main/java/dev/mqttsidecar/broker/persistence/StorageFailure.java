package dev.mqttsidecar.broker.persistence;

import java.util.concurrent.CompletionException;

/**
 * What a failed storage write means to the caller that must answer a client: the store was
 * overloaded (nothing written, the client may retry soon) or it failed. Either way nothing was
 * acknowledged. The one place that reads a failure chain for this.
 *
 * @param overloaded the queue of writes waiting for the disk was full
 * @param message the cause's message, for the client or the log
 */
public record StorageFailure(boolean overloaded, String message) {

  /** Classifies {@code failure}, looking through the {@link CompletionException}s around it. */
  public static StorageFailure of(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return new StorageFailure(
        cause instanceof StorageOverloadedException, String.valueOf(cause.getMessage()));
  }
}
