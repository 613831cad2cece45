package dev.mqttsidecar.component.pubsub;

import dev.mqttsidecar.broker.Delivery;
import dev.mqttsidecar.broker.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the {@link RedeliveryPolicy} for a delivery daprd did not process: puts it back with
 * a backoff, publishes it to the dead letter topic and settles it, or settles it without delivery.
 */
final class FailedDeliveries {
  private static final Logger log = LoggerFactory.getLogger(FailedDeliveries.class);

  private final RedeliveryPolicy policy;
  private final Publisher publisher;
  private final TopicMapper topics;

  FailedDeliveries(RedeliveryPolicy policy, Publisher publisher, TopicMapper topics) {
    this.policy = policy;
    this.publisher = publisher;
    this.topics = topics;
  }

  /**
   * @param reason who failed it and how, for the log
   */
  void failed(Delivery delivery, String reason) {
    RedeliveryPolicy.Decision decision = policy.onFailure(delivery.deliveryCount());
    if (decision instanceof RedeliveryPolicy.Redeliver r) {
      log.debug(
          "{} (delivery {}); redelivery in {} ms",
          reason,
          delivery.deliveryCount(),
          r.after().toMillis());
      delivery.nack(r.after());
    } else if (decision instanceof RedeliveryPolicy.DeadLetter d) {
      deadLetter(delivery, d.daprTopic(), reason);
    } else {
      log.warn(
          "{}: discarding a message on {} after {} deliveries; no deadLetterTopic set",
          reason,
          delivery.message().topic(),
          delivery.deliveryCount());
      delivery.ack();
    }
  }

  private void deadLetter(Delivery delivery, String daprTopic, String reason) {
    Message original = delivery.message();
    Message letter = original.withTopic(topics.toMqtt(daprTopic)).withRetain(false);
    log.warn(
        "{}: a message on {} failed {} deliveries; moving it to {}",
        reason,
        original.topic(),
        delivery.deliveryCount(),
        daprTopic);
    publisher
        .publish(letter)
        .thenAccept(
            outcome -> {
              if (outcome.ok()) {
                delivery.ack();
              } else {
                log.warn(
                    "dead letter publish to {} failed ({}); will retry",
                    daprTopic,
                    outcome.detail());
                delivery.nack(policy.backoff(1));
              }
            });
  }
}
