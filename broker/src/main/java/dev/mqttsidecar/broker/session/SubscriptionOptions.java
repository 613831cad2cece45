package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.Qos;

/**
 * The options of one subscription [MQTT-3.8.3.1].
 *
 * @param qos the granted maximum QoS
 * @param noLocal do not deliver the session's own publications
 * @param retainAsPublished keep the RETAIN flag of forwarded messages
 * @param retainHandling 0 send retained on subscribe, 1 only if new, 2 never
 * @param subscriptionId the 5.0 Subscription Identifier, 0 when none (section 3.8.2.1.2)
 */
public record SubscriptionOptions(
    Qos qos, boolean noLocal, boolean retainAsPublished, int retainHandling, int subscriptionId) {

  public SubscriptionOptions(
      Qos qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
    this(qos, noLocal, retainAsPublished, retainHandling, 0);
  }

  public static SubscriptionOptions of(Qos qos) {
    return new SubscriptionOptions(qos, false, false, 0);
  }
}
