package dev.mqttsidecar.broker;

import java.time.Duration;

/**
 * One delivery of a message to an in-process {@link Subscriber}. A QoS 1/2 delivery stays in flight
 * (and counts against the subscription's in-flight window) until it is settled by exactly one of
 * {@link #ack()} or {@link #nack(Duration)}; later calls are ignored. Both may be called from any
 * thread.
 */
public interface Delivery {

  /** The message, with its topic as published and its remaining expiry. */
  Message message();

  /** 1 on the first delivery of this message to this subscription (or group), then 2, 3, ... */
  int deliveryCount();

  /** Settles the message: it is done and removed from the session or group queue. */
  void ack();

  /**
   * Rejects this delivery: the message goes back to the front of the queue and is delivered again,
   * to this subscriber or another member of its shared group, no sooner than {@code
   * redeliverAfter}.
   */
  void nack(Duration redeliverAfter);
}
