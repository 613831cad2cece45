package dev.mqttsidecar.broker;

/**
 * The broker's durable store could not be opened, read or written. Thrown by {@link Broker#start()}
 * when the data directory holds a store the broker cannot read: the broker refuses to start empty
 * over existing data. The message names the data directory.
 */
public class BrokerStorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BrokerStorageException(String message) {
    super(message);
  }

  public BrokerStorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
