package dev.mqttsidecar.broker;

import java.util.concurrent.CompletableFuture;

/**
 * Publish and subscribe, and nothing else: what the Dapr pub/sub component needs from a broker. The
 * embedded {@link Broker} is one; a client of a broker in another process can be another.
 */
public interface MessageBus {

  /**
   * Completes when the broker accepted the message (durably, where it persists), or with the reason
   * it did not.
   */
  CompletableFuture<PublishResult> publish(Message message);

  /**
   * Subscribes {@code subscriber} under the request's session. Throws IllegalArgumentException for
   * an invalid filter.
   */
  Subscription subscribe(SubscriptionRequest request, Subscriber subscriber);
}
