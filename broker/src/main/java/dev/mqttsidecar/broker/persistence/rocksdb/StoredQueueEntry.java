package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.Message;

/**
 * A queued message read back at start.
 *
 * @param sequence its sequence number in the queue
 * @param message the message as it was appended
 */
public record StoredQueueEntry(long sequence, Message message) {}
