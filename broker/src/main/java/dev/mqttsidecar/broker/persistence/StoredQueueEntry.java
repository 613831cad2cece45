package dev.mqttsidecar.broker.persistence;

import dev.mqttsidecar.broker.Message;

/**
 * A queued message read back at start.
 *
 * @param sequence its sequence number in the queue
 * @param message the message as it was appended, or without its payload and properties when {@code
 *     contentInStore}
 * @param contentInStore the payload and properties were left in the store, to be read when the
 *     message is sent
 * @param payloadSize the payload's length in bytes, also when it was left in the store
 */
public record StoredQueueEntry(
    long sequence, Message message, boolean contentInStore, int payloadSize) {

  /** An entry with its whole message. */
  public StoredQueueEntry(long sequence, Message message) {
    this(sequence, message, false, message.payloadSize());
  }
}
