package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import java.util.Arrays;
import java.util.List;

/**
 * How messages reach one subscriber, from the options of its matching subscriptions: the one place
 * that turns a published or retained message into the message a subscriber receives.
 */
public final class DeliveryOptions {
  private static final int[] NO_IDS = new int[0];

  private final Qos qos;
  private final boolean retainAsPublished;
  private final int[] subscriptionIds;

  private DeliveryOptions(Qos qos, boolean retainAsPublished, int[] subscriptionIds) {
    this.qos = qos;
    this.retainAsPublished = retainAsPublished;
    this.subscriptionIds = subscriptionIds;
  }

  /** Delivery under a single subscription (a shared group's member, a new subscription). */
  public static DeliveryOptions of(SubscriptionOptions o) {
    int id = o.subscriptionId();
    return new DeliveryOptions(o.qos(), o.retainAsPublished(), id > 0 ? new int[] {id} : NO_IDS);
  }

  /**
   * Delivery under all of a session's subscriptions matching one topic, or null when none delivers:
   * No Local ones skip the session's own publications [MQTT-3.8.3-3], the largest QoS wins
   * [MQTT-3.3.4-2], and each one's Subscription Identifier is sent [MQTT-3.3.4-4].
   *
   * @param ownPublication the message was published by this subscriber's client
   */
  public static DeliveryOptions combine(
      List<SubscriptionOptions> matching, boolean ownPublication) {
    Qos qos = null;
    boolean retainAsPublished = false;
    int[] ids = NO_IDS;
    for (int i = 0; i < matching.size(); i++) { // indexed: no iterator per message
      SubscriptionOptions o = matching.get(i);
      if (o.noLocal() && ownPublication) {
        continue;
      }
      qos = qos == null || o.qos().value() > qos.value() ? o.qos() : qos;
      retainAsPublished |= o.retainAsPublished();
      if (o.subscriptionId() > 0) {
        ids = Arrays.copyOf(ids, ids.length + 1);
        ids[ids.length - 1] = o.subscriptionId();
      }
    }
    return qos == null ? null : new DeliveryOptions(qos, retainAsPublished, ids);
  }

  /** The granted maximum QoS. */
  public Qos qos() {
    return qos;
  }

  /** The Subscription Identifiers sent with each message [MQTT-3.3.4-3]; never modify. */
  public int[] subscriptionIds() {
    return subscriptionIds;
  }

  /**
   * A published message as forwarded: QoS at most the granted one [MQTT-3.8.4-8]; RETAIN cleared
   * unless Retain As Published [MQTT-3.3.1-9] (3.1.1), [MQTT-3.3.1-12] (5.0).
   */
  public Message forwarded(Message published) {
    Message delivered = published.withQos(Qos.min(published.qos(), qos));
    return retainAsPublished ? delivered : delivered.withRetain(false);
  }

  /**
   * A retained message sent because of a new subscription: QoS at most the granted one
   * [MQTT-3.8.4-8], RETAIN set [MQTT-3.3.1-8] (3.1.1).
   */
  public Message retained(Message retained) {
    return retained.withQos(Qos.min(retained.qos(), qos)).withRetain(true);
  }

  /** A published message queued for this subscriber. */
  public QueuedMessage queueForwarded(Message published) {
    return QueuedMessage.direct(published, forwarded(published))
        .withSubscriptionIds(subscriptionIds);
  }

  /** A retained message queued for this subscriber on subscribe. */
  public QueuedMessage queueRetained(Message retained) {
    return QueuedMessage.direct(retained, retained(retained)).withSubscriptionIds(subscriptionIds);
  }
}
