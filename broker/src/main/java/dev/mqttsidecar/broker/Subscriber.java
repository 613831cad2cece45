package dev.mqttsidecar.broker;

/**
 * An in-process subscriber, the embedding counterpart of an MQTT client session (for example a Dapr
 * PullMessages stream). Calls for one subscription never overlap and never come from a Netty event
 * loop thread that the subscriber may block; implementations must still not block for long.
 */
public interface Subscriber {

  /**
   * A message for this subscriber; at most the subscription's max in-flight are unsettled at once.
   */
  void onMessage(Delivery delivery);

  /** Why a subscription ended from the bus's side. */
  enum End {
    /** The broker refused the subscription as not authorized (MQTT 5 reason code 0x87). */
    NOT_AUTHORIZED,
    /** The broker refused the topic filter (0x8F). */
    INVALID_FILTER,
    /** The broker refused the subscription for another reason (quota, no shared subscriptions). */
    REFUSED,
    /** The connection the subscription ran on was closed by its owner. */
    CLOSED
  }

  /**
   * The subscription ended without the subscriber closing it, and nothing more comes. Only buses
   * that subscribe at another broker call this; the embedded broker refuses a subscription at once
   * by throwing from {@link MessageBus#subscribe}.
   */
  default void ended(End why, String detail) {}
}
