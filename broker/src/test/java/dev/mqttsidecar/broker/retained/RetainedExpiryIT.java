package dev.mqttsidecar.broker.retained;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Retained messages with a Message Expiry Interval (and so state keys with a TTL) leave memory and
 * the store while the broker runs, not only when they are overwritten or the broker restarts.
 */
class RetainedExpiryIT {
  private static final int EXPIRING = 100_000;
  private static final Instant START = Instant.parse("2026-12-04T00:00:00Z");

  @TempDir Path dataDir;

  @ParameterizedTest
  @EnumSource(
      value = Durability.class,
      names = {"MEMORY", "FSYNC"})
  void expiredMessagesAreRemovedFromTheIndexAndTheStore(Durability durability) throws Exception {
    MutableClock clock = new MutableClock(START);
    BrokerConfig.Builder config =
        BrokerConfig.builder().clock(clock).durability(durability).dataDirectory(dataDir);
    try (BrokerFixture fixture = BrokerFixture.start(config)) {
      Broker broker = fixture.broker();
      publishAll(broker, EXPIRING, i -> expiring("ttl/" + i, START.plusSeconds(1)));
      publishAll(broker, 1, i -> Message.of("keep/forever", bytes("k"), Qos.AT_LEAST_ONCE, true));
      // Overwritten without expiry before it expires: must stay.
      publishAll(broker, 1, i -> expiring("ttl/renewed", START.plusSeconds(1)));
      publishAll(
          broker, 1, i -> Message.of("ttl/renewed", bytes("again"), Qos.AT_LEAST_ONCE, true));
      assertThat(broker.retained().size()).isEqualTo(EXPIRING + 2);

      clock.advance(Duration.ofSeconds(2));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(broker.retained().size()).isEqualTo(2));
      assertThat(fixture.services().retained().expiredRemoved()).isEqualTo(EXPIRING);
      assertThat(broker.retained().get("ttl/renewed")).isPresent();
    }
    if (durability == Durability.MEMORY) {
      return;
    }
    // Back before the expiry: a message still in the store would be live again after a restart.
    MutableClock rewound = new MutableClock(START);
    try (BrokerFixture again =
        BrokerFixture.start(
            BrokerConfig.builder().clock(rewound).durability(durability).dataDirectory(dataDir))) {
      assertThat(again.broker().retained().size()).isEqualTo(2);
      assertThat(again.broker().retained().list("ttl/"))
          .extracting(m -> m.message().topic())
          .containsExactly("ttl/renewed");
    }
  }

  @Test
  void aMessageNotYetExpiredStays() throws Exception {
    MutableClock clock = new MutableClock(START);
    try (BrokerFixture fixture = BrokerFixture.start(BrokerConfig.builder().clock(clock))) {
      Broker broker = fixture.broker();
      publishAll(broker, 1, i -> expiring("soon", START.plusSeconds(5)));
      publishAll(broker, 1, i -> expiring("now", START.plusSeconds(1)));
      clock.advance(Duration.ofSeconds(2));
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(broker.retained().size()).isEqualTo(1));
      assertThat(broker.retained().get("soon")).isPresent();
    }
  }

  private static Message expiring(String topic, Instant expiresAt) {
    return new Message(
        topic, bytes(topic), Qos.AT_LEAST_ONCE, true, MessageProperties.NONE, expiresAt);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  /** Publishes {@code count} messages, at most 10,000 unacknowledged at a time. */
  private static void publishAll(
      Broker broker, int count, java.util.function.IntFunction<Message> message) throws Exception {
    List<CompletableFuture<PublishResult>> window = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      window.add(broker.publish(message.apply(i)));
      if (window.size() == 10_000 || i == count - 1) {
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (CompletableFuture<PublishResult> r : window) {
          assertThat(r.join().isAccepted()).isTrue();
        }
        window.clear();
      }
    }
  }
}
