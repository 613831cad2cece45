package dev.mqttsidecar.component.endpoint;

/** The endpoint's queue holds {@code maxBufferedMessages} already. */
public final class QueueFullException extends RuntimeException {
  public QueueFullException(String endpoint) {
    super("endpoint " + endpoint + ": queue full (maxBufferedMessages)");
  }
}
