package dev.mqttsidecar.component.pubsub;

import java.time.Duration;

/**
 * What happens to a message daprd did not process (ack_error, ack timeout, broken stream):
 * redelivery after an exponential backoff, until {@code maxDeliveries} is reached; then the dead
 * letter topic, or nothing.
 */
final class RedeliveryPolicy {
  /** Longest wait between two deliveries of one message. */
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  /** The decision for one failed delivery. */
  sealed interface Decision permits Redeliver, DeadLetter, Discard {}

  /** Put the message back, to be delivered again no sooner than {@code after}. */
  record Redeliver(Duration after) implements Decision {}

  /** Publish the message to the dead letter topic (a Dapr topic), then settle it. */
  record DeadLetter(String daprTopic) implements Decision {}

  /** Settle the message without delivering it again (no dead letter topic configured). */
  record Discard() implements Decision {}

  private final Duration backoff;
  private final int maxDeliveries;
  private final String deadLetterTopic;

  RedeliveryPolicy(Duration backoff, int maxDeliveries, String deadLetterTopic) {
    this.backoff = backoff;
    this.maxDeliveries = maxDeliveries;
    this.deadLetterTopic = deadLetterTopic;
  }

  static RedeliveryPolicy of(PubSubSettings settings) {
    return new RedeliveryPolicy(
        settings.redeliveryBackoff(), settings.maxDeliveries(), settings.deadLetterTopic());
  }

  /**
   * @param deliveryCount how many times the message has been delivered, this delivery included
   */
  Decision onFailure(int deliveryCount) {
    if (maxDeliveries > 0 && deliveryCount >= maxDeliveries) {
      return deadLetterTopic != null ? new DeadLetter(deadLetterTopic) : new Discard();
    }
    return new Redeliver(backoff(deliveryCount));
  }

  /** backoff x 2^(n-1), capped at {@link #MAX_BACKOFF} (or at backoff itself if longer). */
  Duration backoff(int deliveryCount) {
    Duration cap = backoff.compareTo(MAX_BACKOFF) > 0 ? backoff : MAX_BACKOFF;
    Duration delay = backoff;
    for (int i = 1; i < deliveryCount && delay.compareTo(cap) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(cap) > 0 ? cap : delay;
  }
}
