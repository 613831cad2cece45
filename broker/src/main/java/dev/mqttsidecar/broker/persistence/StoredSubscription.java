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
 * @param replayBefore while the retained messages the subscription gets on subscribe are not all
 *     handed to the session's queue yet: the retained version they were read up to (what was
 *     written later went to the session as live messages), so that a restart sends them again; 0
 *     when none are pending
 */
public record StoredSubscription(
    String filter,
    Qos qos,
    boolean noLocal,
    boolean retainAsPublished,
    int retainHandling,
    int subscriptionId,
    long replayBefore) {

  public StoredSubscription {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(qos, "qos");
    if (retainHandling < 0 || retainHandling > 2) {
      throw new IllegalArgumentException("retainHandling must be 0, 1 or 2, was " + retainHandling);
    }
    if (replayBefore < 0) {
      throw new IllegalArgumentException("replayBefore must not be negative, was " + replayBefore);
    }
  }

  /** A subscription with no retained messages pending. */
  public StoredSubscription(
      String filter,
      Qos qos,
      boolean noLocal,
      boolean retainAsPublished,
      int retainHandling,
      int subscriptionId) {
    this(filter, qos, noLocal, retainAsPublished, retainHandling, subscriptionId, 0);
  }
}
