package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;

/**
 * A message waiting in, or in flight from, a session or shared-group queue.
 *
 * <p>{@code delivered} is the message as this subscription receives it (QoS downgraded, retain flag
 * per its options); {@code published} is kept so a shared group can hand it to another member.
 */
public final class QueuedMessage {
  private final Message published;
  private final Message delivered;
  private final GroupLink group;
  private int deliveryCount;
  private long sequence; // in the session's durable queue; 0 when not stored

  public QueuedMessage(Message published, Message delivered, GroupLink group, int deliveryCount) {
    this.published = published;
    this.delivered = delivered;
    this.group = group;
    this.deliveryCount = deliveryCount;
  }

  /** A message for a non-shared subscription. */
  public static QueuedMessage direct(Message published, Message delivered) {
    return new QueuedMessage(published, delivered, null, 0);
  }

  public Message published() {
    return published;
  }

  public Message delivered() {
    return delivered;
  }

  public Qos qos() {
    return delivered.qos();
  }

  /** The shared group this message belongs to, or null. */
  public GroupLink group() {
    return group;
  }

  public int deliveryCount() {
    return deliveryCount;
  }

  long sequence() {
    return sequence;
  }

  void setSequence(long value) {
    sequence = value;
  }

  int incrementDeliveryCount() {
    return ++deliveryCount;
  }
}
