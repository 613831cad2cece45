package dev.mqttsidecar.component.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A Dapr consumer group's queue on the durable store: messages published (and acknowledged to the
 * publisher) while no replica is connected reach the stream daprd opens after the sidecar restarts.
 */
class ConsumerGroupRestartTest extends PubSubTestBase {

  @Test
  void queuedMessagesOfAConsumerGroupAreDeliveredAfterARestart() throws Exception {
    restartDurable();
    String pubsub = init(component());
    DaprStream first = DaprStream.open(daprd(), pubsub, "orders", Map.of(), m -> null);
    awaitSubscribers("orders", 1);
    first.cancel();
    awaitSubscribers("orders", 0);
    for (int i = 0; i < 5; i++) {
      publishEvent(pubsub, "orders", "offline-" + i);
    }
    restartDurable();
    init(component());
    try (DaprStream second = DaprStream.open(daprd(), pubsub, "orders", Map.of(), m -> null)) {
      Awaitility.await().atMost(WAIT).until(() -> second.handled().size() >= 5);
      assertThat(second.handled())
          .extracting(m -> eventData(m.getData()))
          .containsExactly("offline-0", "offline-1", "offline-2", "offline-3", "offline-4");
    }
  }
}
