package dev.mqttsidecar.state.aio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.state.RetainedStateStore;
import dev.mqttsidecar.state.StoreConfigParser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bound on watched keys, on an in-memory broker. */
class AioKeyNotificationsIT {
  private Broker broker;
  private AioKeyNotifications notifications;

  @BeforeEach
  void start() throws Exception {
    broker = Broker.create(BrokerConfig.builder().port(0).durability(Durability.MEMORY).build());
    broker.start();
    Clock clock = Clock.systemUTC();
    RetainedStateStore store =
        new RetainedStateStore(
            broker.retained(), StoreConfigParser.parse("statestore", Map.of()), clock);
    notifications =
        new AioKeyNotifications(broker, store, clock, new HybridLogicalClock(clock, "test"), 2);
  }

  @AfterEach
  void stop() throws Exception {
    notifications.close();
    broker.stop();
  }

  @Test
  void watchesOverTheBoundAreRefusedUntilOneStops() {
    assertThat(text(notifications.watch("a", "k1"))).isEqualTo("+OK\r\n");
    assertThat(text(notifications.watch("a", "k1"))).as("watched already").isEqualTo("+OK\r\n");
    assertThat(text(notifications.watch("b", "k1"))).isEqualTo("+OK\r\n");
    assertThat(text(notifications.watch("c", "k2")))
        .isEqualTo("-ERR the quota has been exceeded\r\n");
    assertThat(notifications.watched()).isEqualTo(2);

    assertThat(text(notifications.stop("a", "k1"))).isEqualTo("+OK\r\n");
    assertThat(text(notifications.stop("c", "k2"))).isEqualTo(":0\r\n");
    assertThat(text(notifications.watch("c", "k2"))).isEqualTo("+OK\r\n");
    assertThat(notifications.watched()).isEqualTo(2);

    notifications.close();
    assertThat(notifications.watched()).isZero();
    assertThat(broker.statistics().subscriptions()).as("no subscription left").isZero();
  }

  private static String text(byte[] answer) {
    return new String(answer, StandardCharsets.UTF_8);
  }
}
