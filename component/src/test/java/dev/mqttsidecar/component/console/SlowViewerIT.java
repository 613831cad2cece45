package dev.mqttsidecar.component.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A browser that does not read keeps a bounded buffer: the oldest are dropped and counted. */
class SlowViewerIT {

  @Test
  void aViewerThatDoesNotReadKeepsTheNewestAndCountsTheRest() throws Exception {
    try (Broker broker =
        Broker.create(BrokerConfig.builder().port(0).durability(Durability.MEMORY).build())) {
      broker.start();
      AtomicInteger wakeUps = new AtomicInteger();
      try (LiveView view =
          new LiveView(broker, "load/#", 10, 1024, Clock.systemUTC(), wakeUps::incrementAndGet)) {
        for (int i = 0; i < 1_000; i++) {
          broker
              .publish(
                  Message.of(
                      "load/" + i,
                      String.valueOf(i).getBytes(StandardCharsets.UTF_8),
                      Qos.AT_LEAST_ONCE,
                      false))
              .get(10, TimeUnit.SECONDS);
        }
        ViewerBuffer.Batch<MessageJson> batch = awaitAll(view, 1_000);
        assertThat(batch.items()).hasSize(10);
        assertThat(batch.items().get(9).topic()).isEqualTo("load/999");
        assertThat(batch.dropped()).isEqualTo(990);
        assertThat(wakeUps.get()).isEqualTo(1); // the buffer was never emptied
      }
    }
  }

  /** Waits until every message has reached the buffer (kept or dropped), then takes them. */
  private static ViewerBuffer.Batch<MessageJson> awaitAll(LiveView view, int published) {
    Awaitility.await("all messages reach the viewer")
        .atMost(Duration.ofSeconds(10))
        .until(() -> view.received() == published);
    return view.take(Integer.MAX_VALUE);
  }
}
