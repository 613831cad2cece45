package dev.mqttsidecar.component.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A Dapr consumer group's queue on the durable store: messages published (and acknowledged to the
 * publisher) while no replica is connected reach the stream daprd opens after the sidecar restarts.
 */
class ConsumerGroupRestartTest extends PubSubTestBase {

  private InProcessSidecar restart() throws Exception {
    sidecar.close();
    sidecar = null;
    sidecar = startDurable();
    return sidecar;
  }

  private InProcessSidecar startDurable() throws Exception {
    return InProcessSidecar.start(
        folder,
        BrokerConfig.builder()
            .port(0)
            .dataDirectory(folder.resolve("data"))
            .durability(Durability.FSYNC)
            .build());
  }

  @Test
  void queuedMessagesOfAConsumerGroupAreDeliveredAfterARestart() throws Exception {
    sidecar.close();
    sidecar = startDurable();
    String pubsub = init(component());
    DaprStream first = DaprStream.open(daprd(), pubsub, "orders", Map.of(), m -> null);
    PubSubConformanceTest.awaitSubscribed();
    first.cancel();
    Thread.sleep(200);
    for (int i = 0; i < 5; i++) {
      publishEvent(pubsub, "orders", "offline-" + i);
    }
    restart();
    init(component());
    try (DaprStream second = DaprStream.open(daprd(), pubsub, "orders", Map.of(), m -> null)) {
      Awaitility.await().atMost(WAIT).until(() -> second.handled().size() >= 5);
      assertThat(second.handled())
          .extracting(m -> eventData(m.getData()))
          .containsExactly("offline-0", "offline-1", "offline-2", "offline-3", "offline-4");
    }
  }
}
