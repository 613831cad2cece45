package dev.mqttsidecar.broker.persistence;

import dev.mqttsidecar.broker.BrokerStorageException;

/**
 * The store could not be opened, read or written. Messages name the data directory and say what to
 * do, because they end up in front of an operator at startup.
 */
public class StorageException extends BrokerStorageException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
