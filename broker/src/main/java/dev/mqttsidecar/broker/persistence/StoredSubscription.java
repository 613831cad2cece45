package dev.mqttsidecar.broker.persistence;

import dev.mqttsidecar.broker.Qos;
import java.util.Objects;

/**
 * A subscription of a persistent session, as stored [MQTT-3.8.3.1].
 *
 * @param filter the raw topic filter (with any {@code $share/<group>/} prefix)
 * @param qos the granted maximum QoS
 * @param noLocal do not deliver the session's own publications
 * @param retainAsPublished keep the RETAIN flag of forwarded messages
 * @param retainHandling 0, 1 or 2
 * @param subscriptionId the MQTT 5 Subscription Identifier, 0 when none
 */
public record StoredSubscription(
    String filter,
    Qos qos,
    boolean noLocal,
    boolean retainAsPublished,
    int retainHandling,
    int subscriptionId) {

  public StoredSubscription {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(qos, "qos");
    if (retainHandling < 0 || retainHandling > 2) {
      throw new IllegalArgumentException("retainHandling must be 0, 1 or 2, was " + retainHandling);
    }
  }
}
