package dev.mqttsidecar.broker;

import java.time.Duration;
import java.util.Objects;

/**
 * How an in-process subscriber subscribes.
 *
 * @param sessionId the session's identity, unique per subscriber (like an MQTT client id). With a
 *     {@code $share/<group>/} filter, members of one group have different session ids
 * @param filter a topic filter, optionally {@code $share/<group>/<filter>}
 * @param maxQos the maximum QoS delivered (messages are downgraded to it)
 * @param maxInflight how many QoS 1/2 deliveries may be unsettled at once (at least 1)
 * @param sessionExpiry how long the session (and, for a shared filter, the group's queue) outlives
 *     {@link Subscription#close()}; zero means it ends with the subscription
 */
public record SubscriptionRequest(
    String sessionId, String filter, Qos maxQos, int maxInflight, Duration sessionExpiry) {

  public SubscriptionRequest {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(maxQos, "maxQos");
    Objects.requireNonNull(sessionExpiry, "sessionExpiry");
    if (maxInflight < 1) {
      throw new IllegalArgumentException("maxInflight must be at least 1, was " + maxInflight);
    }
    if (sessionExpiry.isNegative()) {
      throw new IllegalArgumentException("sessionExpiry must not be negative");
    }
  }
}
