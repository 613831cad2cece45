package dev.mqttsidecar.broker.persistence;

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
}
