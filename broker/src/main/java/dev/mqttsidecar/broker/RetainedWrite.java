package dev.mqttsidecar.broker;

import java.util.Objects;

/**
 * One conditional write of a retained message.
 *
 * @param topic the topic name
 * @param expectedVersion {@link #ANY_VERSION}, {@link #ABSENT}, or the version that must be current
 * @param replacement the new message (its retain flag is implied), or null to delete
 */
public record RetainedWrite(String topic, long expectedVersion, Message replacement) {

  /** No condition: last write wins. */
  public static final long ANY_VERSION = -1;

  /** The topic must have no retained message (insert only). */
  public static final long ABSENT = 0;

  public RetainedWrite {
    Objects.requireNonNull(topic, "topic");
    if (expectedVersion < ANY_VERSION) {
      throw new IllegalArgumentException("bad expected version " + expectedVersion);
    }
    if (replacement != null && !replacement.topic().equals(topic)) {
      throw new IllegalArgumentException("replacement topic differs from " + topic);
    }
  }

  public static RetainedWrite set(Message message, long expectedVersion) {
    return new RetainedWrite(message.topic(), expectedVersion, message.withRetain(true));
  }

  public static RetainedWrite delete(String topic, long expectedVersion) {
    return new RetainedWrite(topic, expectedVersion, null);
  }
}
