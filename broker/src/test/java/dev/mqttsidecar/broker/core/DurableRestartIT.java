package dev.mqttsidecar.broker.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.BrokerStorageException;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.RetainedWrite;
import dev.mqttsidecar.broker.RetainedWriteResult;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker on its durable store, stopped and started again on the same data directory: what was
 * acknowledged is there, versions never repeat, expiry runs on wall-clock time, and a store it
 * cannot read stops the start.
 */
@ExtendWith(LeakCheck.class)
class DurableRestartIT {
  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock();

  private BrokerConfig.Builder config(Path dir, Durability durability) {
    return BrokerConfig.builder().dataDirectory(dir).durability(durability).clock(clock);
  }

  private static Message retained(String topic, String payload) {
    return Message.of(topic, payload.getBytes(UTF_8), Qos.AT_LEAST_ONCE, true);
  }

  private static String payload(Optional<RetainedMessage> m) {
    return new String(m.orElseThrow().message().payload(), UTF_8);
  }

  @Test
  void retainedMessagesPublishedOverMqttAreSentAfterARestart() throws Exception {
    Path dir = tmp.resolve("data");
    try (BrokerFixture f = BrokerFixture.start(config(dir, Durability.FSYNC))) {
      Mqtt5BlockingClient pub = f.connect5("pub");
      for (int i = 0; i < 20; i++) {
        pub.publishWith()
            .topic("devices/" + i + "/status")
            .payload(("online-" + i).getBytes(UTF_8))
            .qos(MqttQos.AT_LEAST_ONCE)
            .retain(true)
            .send(); // returns after PUBACK: the broker has it on disk
      }
      pub.publishWith().topic("devices/3/status").qos(MqttQos.AT_LEAST_ONCE).retain(true).send();
    }
    try (BrokerFixture f = BrokerFixture.start(config(dir, Durability.FSYNC))) {
      assertThat(f.broker().retained().size()).isEqualTo(19);
      Mqtt5BlockingClient sub = f.connect5("sub");
      try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
          sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
        sub.subscribeWith().topicFilter("devices/+/status").qos(MqttQos.AT_LEAST_ONCE).send();
        int received = 0;
        while (received < 19) {
          Mqtt5Publish p = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
          assertThat(p.isRetain()).isTrue();
          assertThat(p.getTopic().toString()).isNotEqualTo("devices/3/status");
          received++;
        }
        assertThat(publishes.receive(200, TimeUnit.MILLISECONDS)).isEmpty();
      }
    }
  }

  @Test
  void stateWritesKeepTheirValuesAndVersionsNeverRepeatEvenAfterADelete() throws Exception {
    Path dir = tmp.resolve("data");
    long deletedVersion;
    try (BrokerFixture f = BrokerFixture.start(config(dir, Durability.FSYNC))) {
      Broker b = f.broker();
      RetainedWriteResult a =
          b.retained().write(List.of(RetainedWrite.set(retained("$s/a", "1"), 0))).get();
      b.retained()
          .write(List.of(RetainedWrite.set(retained("$s/a", "2"), a.versions().get(0))))
          .get();
      long bVersion =
          b.retained()
              .write(List.of(RetainedWrite.set(retained("$s/b", "x"), 0)))
              .get()
              .versions()
              .get(0);
      RetainedWriteResult deleted =
          b.retained().write(List.of(RetainedWrite.delete("$s/b", bVersion))).get();
      assertThat(deleted.applied()).isTrue();
      // The delete used the highest version so far; no stored message carries it.
      deletedVersion = bVersion + 1;
    }
    try (BrokerFixture f = BrokerFixture.start(config(dir, Durability.FSYNC))) {
      Broker b = f.broker();
      assertThat(payload(b.retained().get("$s/a"))).isEqualTo("2");
      assertThat(b.retained().get("$s/b")).isEmpty();
      RetainedWriteResult next =
          b.retained().write(List.of(RetainedWrite.set(retained("$s/c", "y"), 0))).get();
      assertThat(next.versions().get(0)).isGreaterThan(deletedVersion);
    }
  }

  @Test
  void periodicModeKeepsWhatAStopFlushed() throws Exception {
    Path dir = tmp.resolve("data");
    try (BrokerFixture f =
        BrokerFixture.start(config(dir, Durability.PERIODIC).syncInterval(Duration.ofMillis(20)))) {
      PublishResult r = f.broker().publish(retained("p/t", "v")).get();
      assertThat(r.isAccepted()).isTrue();
    }
    try (BrokerFixture f = BrokerFixture.start(config(dir, Durability.FSYNC))) {
      assertThat(payload(f.broker().retained().get("p/t"))).isEqualTo("v");
    }
  }

  @Test
  void messageExpiryRunsOnWallClockTimeAcrossARestart() throws Exception {
    Path dir = tmp.resolve("data");
    try (BrokerFixture f = BrokerFixture.start(config(dir, Durability.FSYNC))) {
      Message expiring =
          new Message(
              "e/t",
              "soon".getBytes(UTF_8),
              Qos.AT_LEAST_ONCE,
              true,
              MessageProperties.NONE,
              clock.instant().plusSeconds(60));
      assertThat(f.broker().publish(expiring).get().isAccepted()).isTrue();
      f.broker().publish(retained("e/keep", "k")).get();
    }
    // Down for 30 s: still there, and it expires 60 s after it was published, not after start.
    clock.advance(Duration.ofSeconds(30));
    try (BrokerFixture f = BrokerFixture.start(config(dir, Durability.FSYNC))) {
      assertThat(f.broker().retained().get("e/t")).isPresent();
      clock.advance(Duration.ofSeconds(31));
      assertThat(f.broker().retained().get("e/t")).isEmpty();
    }
    try (BrokerFixture f = BrokerFixture.start(config(dir, Durability.FSYNC))) {
      assertThat(f.broker().retained().get("e/t")).isEmpty();
      assertThat(f.broker().retained().size()).isEqualTo(1);
      assertThat(payload(f.broker().retained().get("e/keep"))).isEqualTo("k");
    }
  }

  @Test
  void memoryModeTouchesNoDiskAndForgetsEverything() throws Exception {
    Path dir = tmp.resolve("data");
    try (BrokerFixture f = BrokerFixture.start(config(dir, Durability.MEMORY))) {
      assertThat(f.broker().publish(retained("m/t", "v")).get().isAccepted()).isTrue();
      assertThat(f.broker().retained().get("m/t")).isPresent();
    }
    assertThat(dir).doesNotExist();
    try (BrokerFixture f = BrokerFixture.start(config(dir, Durability.MEMORY))) {
      assertThat(f.broker().retained().get("m/t")).isEmpty();
    }
  }

  @Test
  void aCorruptStoreStopsTheStartAndNamesTheDirectory() throws Exception {
    Path dir = tmp.resolve("data");
    try (BrokerFixture f = BrokerFixture.start(config(dir, Durability.FSYNC))) {
      f.broker().publish(retained("c/t", "v")).get();
    }
    Files.writeString(dir.resolve("CURRENT"), "\u0001\u0002garbage");
    assertThatThrownBy(() -> BrokerFixture.start(config(dir, Durability.FSYNC)))
        .isInstanceOf(BrokerStorageException.class)
        .hasMessageContaining(dir.toAbsolutePath().toString());
  }

  @Test
  void aDirectoryHoldingOtherFilesIsNotTakenOver() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("data"));
    Files.writeString(dir.resolve("notes.txt"), "not a store");
    assertThatThrownBy(() -> BrokerFixture.start(config(dir, Durability.FSYNC)))
        .isInstanceOf(BrokerStorageException.class)
        .hasMessageContaining(dir.toAbsolutePath().toString());
    assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("not a store");
  }
}
