package dev.mqttsidecar.broker.core;

import dev.mqttsidecar.broker.Subscriber;
import dev.mqttsidecar.broker.session.InflightEntry;
import dev.mqttsidecar.broker.session.Outbound;
import dev.mqttsidecar.broker.session.QueuedMessage;
import dev.mqttsidecar.broker.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The outbound side of an in-process session: hands deliveries to a {@link Subscriber}. */
final class SubscriberOutbound implements Outbound {
  private static final Logger LOG = LoggerFactory.getLogger(SubscriberOutbound.class);
  private final Subscriber subscriber;
  private volatile boolean active = true;

  SubscriberOutbound(Subscriber subscriber) {
    this.subscriber = subscriber;
  }

  boolean isActive() {
    return active;
  }

  void deactivate() {
    active = false;
  }

  @Override
  public void publish(Session session, InflightEntry entry, QueuedMessage message, boolean dup) {
    try {
      // Runs on the session's serial executor: calls never overlap and never on an event loop.
      subscriber.onMessage(
          new InProcessDelivery(session, entry, message.delivered(), message.deliveryCount()));
    } catch (Throwable t) {
      LOG.warn(
          "subscriber {} failed on a message; it stays in flight until settled", session.key(), t);
    }
  }

  @Override
  public void pubrel(int packetId, boolean found) {}

  @Override
  public boolean requeueOnDetach() {
    return true;
  }

  @Override
  public void takenOver() {
    active = false;
  }
}
