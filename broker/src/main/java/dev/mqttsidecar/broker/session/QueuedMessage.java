package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import java.util.Optional;

/**
 * A message waiting in, or in flight from, a session or shared-group queue.
 *
 * <p>{@code delivered} is the message as this subscription receives it (QoS downgraded, retain flag
 * per its options); {@code published} is kept so a shared group can hand it to another member.
 */
public final class QueuedMessage {
  /**
   * Messages a queue keeps whole at its head; stored messages behind them, or waiting for nobody
   * online, keep only their headers in memory (see {@link #spill}).
   */
  public static final int IN_MEMORY_HEAD = 64;

  private static final int[] NO_IDS = new int[0];

  private Message published;
  private Message delivered;
  private final GroupLink group;
  private int deliveryCount;
  private String storedIn; // the durable queue (session or group) holding a copy, or null
  private long sequence;
  private int[] subscriptionIds = NO_IDS;
  private boolean contentInStore; // payload and properties only in the durable copy
  private boolean waitsForRoom; // QoS 0 from a backlog: waits for the outbound, never dropped
  private int payloadSize; // kept when the payload is spilled: what the queue's byte bound counts

  public QueuedMessage(Message published, Message delivered, GroupLink group, int deliveryCount) {
    this.published = published;
    this.delivered = delivered;
    this.group = group;
    this.deliveryCount = deliveryCount;
    this.payloadSize = delivered.payloadSize();
  }

  /**
   * The same message, for delivery as {@code newDelivered} on behalf of {@code newGroup}; keeps the
   * delivery count and the durable copy's position.
   */
  public QueuedMessage redirect(Message newDelivered, GroupLink newGroup) {
    QueuedMessage m = new QueuedMessage(published, newDelivered, newGroup, deliveryCount);
    m.storedIn = storedIn;
    m.sequence = sequence;
    m.contentInStore = contentInStore;
    m.payloadSize = payloadSize;
    return m;
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

  /** The durable queue holding this message's copy, or null when not stored. */
  public String storedIn() {
    return storedIn;
  }

  public long sequence() {
    return sequence;
  }

  /** Removes the durable copy, if any. */
  public void forgetStored(QueuePersistence queues) {
    if (storedIn != null) {
      queues.remove(storedIn, sequence);
      storedIn = null;
      sequence = 0;
    }
  }

  /** Records where the durable copy is; {@code queueId} null when it was removed. */
  public void storedAt(String queueId, long value) {
    storedIn = queueId;
    sequence = value;
  }

  /** The 5.0 Subscription Identifiers of the matching subscriptions, sent with the PUBLISH. */
  public int[] subscriptionIds() {
    return subscriptionIds;
  }

  public QueuedMessage withSubscriptionIds(int[] ids) {
    subscriptionIds = ids;
    return this;
  }

  /**
   * Restored without payload and properties, whose payload is {@code size} bytes: {@link #load}
   * reads them before it is sent.
   */
  public void contentLeftInStore(int size) {
    contentInStore = storedIn != null;
    payloadSize = size;
  }

  /** The payload's length, whether it is in memory or only in the store. */
  public int payloadSize() {
    return payloadSize;
  }

  /**
   * Keeps only what the queue needs (topic, QoS, expiry) in memory; {@link #load} reads the rest
   * back from the durable copy before the message is sent. Only for a message already stored.
   */
  public void spill() {
    if (!contentInStore && storedIn != null) {
      published = published.withoutContent();
      delivered = delivered.withoutContent();
      contentInStore = true;
    }
  }

  boolean contentInStore() {
    return contentInStore;
  }

  /** Reads back what {@link #spill} left in the store; false if the durable copy is gone. */
  public boolean load(QueuePersistence queues) {
    if (!contentInStore) {
      return true;
    }
    Optional<Message> stored = queues.read(storedIn, sequence);
    if (stored.isEmpty()) {
      return false;
    }
    published = published.withContentOf(stored.get());
    delivered = delivered.withContentOf(stored.get());
    contentInStore = false;
    return true;
  }

  /** Sent at QoS 0 only when the outbound has room: a backlog's message waits, not dropped. */
  void waitForRoom() {
    waitsForRoom = true;
  }

  boolean waitsForRoom() {
    return waitsForRoom;
  }

  int incrementDeliveryCount() {
    return ++deliveryCount;
  }
}
