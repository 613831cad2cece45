package dev.mqttsidecar.component.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Settlement: only an ack settles; nack, timeout and broken streams redeliver; dead letters; TTL.
 */
class RedeliveryTest extends PubSubTestBase {

  @Test
  void anAckErrorRedeliversTheMessage() throws Exception {
    String pubsub = init(component());
    try (DaprStream stream = DaprStream.open(daprd(), pubsub, "orders", Map.of())) {
      awaitSubscribers("orders", 1);
      publishEvent(pubsub, "orders", "one");
      PullMessagesResponse first = stream.next(WAIT);
      stream.nack(first, "app failed");
      PullMessagesResponse again = stream.next(WAIT);
      assertThat(eventData(again.getData())).isEqualTo("one");
      assertThat(again.getId()).isNotEqualTo(first.getId());
      stream.ack(again);
      assertThat(stream.poll(QUIET)).as("settled by the ack").isNull();
    }
  }

  @Test
  void aMessageOneReplicaFailsIsRedeliveredToAnother() throws Exception {
    String pubsub = init(component().with("redeliveryBackoff", "20ms"));
    try (DaprStream failing = DaprStream.open(daprd(), pubsub, "orders", Map.of(), m -> "broken");
        DaprStream healthy = DaprStream.open(daprd(), pubsub, "orders", Map.of(), m -> null)) {
      awaitSubscribers("orders", 2);
      for (int i = 0; i < 10; i++) {
        publishEvent(pubsub, "orders", "order-" + i);
      }
      Awaitility.await().atMost(WAIT).until(() -> healthy.acked().size() == 10);
      assertThat(failing.handled()).as("the failing replica got its share first").isNotEmpty();
      assertThat(healthy.acked())
          .extracting(m -> eventData(m.getData()))
          .containsExactlyInAnyOrder(
              "order-0", "order-1", "order-2", "order-3", "order-4", "order-5", "order-6",
              "order-7", "order-8", "order-9");
    }
  }

  @Test
  void aMissingAckTimesOutAndTheMessageIsRedelivered() throws Exception {
    String pubsub = init(component().with("ackTimeoutSeconds", "300ms"));
    try (DaprStream stream = DaprStream.open(daprd(), pubsub, "orders", Map.of())) {
      awaitSubscribers("orders", 1);
      publishEvent(pubsub, "orders", "slow");
      PullMessagesResponse first = stream.next(WAIT);
      PullMessagesResponse again = stream.next(WAIT); // no ack: redelivered after 300 ms + backoff
      assertThat(eventData(again.getData())).isEqualTo("slow");
      stream.ack(first); // a late ack of the timed-out delivery is ignored
      stream.ack(again);
      assertThat(stream.poll(Duration.ofMillis(800))).isNull();
    }
  }

  @Test
  void aMessageInFlightOnABrokenStreamGoesToAnotherStream() throws Exception {
    String pubsub = init(component());
    DaprStream broken = DaprStream.open(daprd(), pubsub, "orders", Map.of());
    awaitSubscribers("orders", 1);
    publishEvent(pubsub, "orders", "in-flight");
    assertThat(eventData(broken.next(WAIT).getData())).isEqualTo("in-flight");
    broken.cancel(); // daprd sends no ack when a subscription stops
    try (DaprStream next = DaprStream.open(daprd(), pubsub, "orders", Map.of())) {
      PullMessagesResponse m = next.next(WAIT);
      assertThat(eventData(m.getData())).isEqualTo("in-flight");
      next.ack(m);
    }
  }

  @Test
  void afterMaxDeliveriesAMessageGoesToTheDeadLetterTopic() throws Exception {
    String pubsub = init(component().with("maxDeliveries", "3").with("deadLetterTopic", "poison"));
    try (DaprStream orders =
            DaprStream.open(daprd(), pubsub, "orders", Map.of(), m -> "always fails");
        DaprStream poison = DaprStream.open(daprd(), pubsub, "poison", Map.of(), m -> null)) {
      awaitSubscribers("orders", 1);
      awaitSubscribers("poison", 1);
      publishEvent(pubsub, "orders", "bad");
      publishEvent(pubsub, "orders", "worse");
      Awaitility.await().atMost(WAIT).until(() -> poison.handled().size() == 2);
      assertThat(poison.handled())
          .extracting(m -> eventData(m.getData()))
          .containsExactlyInAnyOrder("bad", "worse");
      assertThat(poison.handled())
          .extracting(PullMessagesResponse::getTopicName)
          .containsOnly("poison");
      Thread.sleep(QUIET.toMillis());
      assertThat(orders.handled()).hasSize(6);
    }
  }

  @Test
  void withoutADeadLetterTopicMaxDeliveriesDiscards() throws Exception {
    String pubsub = init(component().with("maxDeliveries", "2"));
    try (DaprStream orders = DaprStream.open(daprd(), pubsub, "orders", Map.of(), m -> "fails")) {
      awaitSubscribers("orders", 1);
      publishEvent(pubsub, "orders", "doomed");
      Awaitility.await().atMost(WAIT).until(() -> orders.handled().size() == 2);
      Thread.sleep(QUIET.toMillis());
      assertThat(orders.handled()).hasSize(2);
    }
  }

  @Test
  void expiredMessagesAreNotDelivered() throws Exception {
    sidecar.close();
    MutableClock clock = new MutableClock();
    sidecar = InProcessSidecar.start(folder, BrokerConfig.builder().port(0).clock(clock).build());
    String pubsub = init(component());
    DaprStream first = DaprStream.open(daprd(), pubsub, "orders", Map.of());
    awaitSubscribers("orders", 1);
    first.cancel(); // the group stays, queueing
    awaitSubscribers("orders", 0);
    publishRaw(pubsub, "orders", cloudEvent("orders", "short-lived"), Map.of("ttlInSeconds", "5"));
    publishEvent(pubsub, "orders", "durable");
    clock.advance(Duration.ofSeconds(6));
    try (DaprStream second = DaprStream.open(daprd(), pubsub, "orders", Map.of())) {
      PullMessagesResponse m = second.next(WAIT);
      assertThat(eventData(m.getData())).isEqualTo("durable");
      second.ack(m);
      assertThat(second.poll(QUIET)).isNull();
    }
  }
}
