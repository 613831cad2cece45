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
}
