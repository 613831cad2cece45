package dev.mqttsidecar.broker.core;

import dev.mqttsidecar.broker.Delivery;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.session.InflightEntry;
import dev.mqttsidecar.broker.session.Session;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/** A delivery to an in-process subscriber; settles its in-flight entry once. */
final class InProcessDelivery implements Delivery {
  private final Session session;
  private final InflightEntry entry; // null for QoS 0
  private final Message message;
  private final int deliveryCount;
  private final AtomicBoolean settled = new AtomicBoolean();

  InProcessDelivery(Session session, InflightEntry entry, Message message, int deliveryCount) {
    this.session = session;
    this.entry = entry;
    this.message = message;
    this.deliveryCount = deliveryCount;
  }

  @Override
  public Message message() {
    return message;
  }

  @Override
  public int deliveryCount() {
    return deliveryCount;
  }

  @Override
  public void ack() {
    if (entry != null && settled.compareAndSet(false, true)) {
      session.settle(entry.packetId(), entry);
    }
  }

  @Override
  public void nack(Duration redeliverAfter) {
    Objects.requireNonNull(redeliverAfter, "redeliverAfter");
    if (entry != null && settled.compareAndSet(false, true)) {
      session.nack(entry.packetId(), entry, redeliverAfter);
    }
  }

  @Override
  public String toString() {
    return "Delivery[" + message + ", count=" + deliveryCount + "]";
  }
}
