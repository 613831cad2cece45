package dev.mqttsidecar.broker.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regression: an MQTT 5 session resumed with Clean Start 0 and no Session Expiry Interval (so 0:
 * the session ends with this connection) lost the messages queued for it while it was offline. Its
 * stored queue was deleted the moment the session stopped being persistent, while the messages
 * whose payloads had left memory still had to be read back from it. The expiry of 0 applies when
 * the new connection closes (5.0 section 3.1.2.11.2), so every queued message must still be
 * delivered.
 */
@ExtendWith(LeakCheck.class)
class SessionResumeWithZeroExpiryIT {
  @TempDir Path tmp;

  private BrokerFixture start(Durability durability) throws Exception {
    return BrokerFixture.start(
        BrokerConfig.builder().dataDirectory(tmp.resolve("data")).durability(durability));
  }

  /** Subscribes with a one-hour session at QoS 1 and leaves. */
  private static void subscribeAndLeave(BrokerFixture f, String id, String topic) {
    Mqtt5BlockingClient c = f.mqtt5(id).buildBlocking();
    c.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
    c.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
    c.disconnect();
  }

  /** Resumes with Clean Start 0 and no Session Expiry Interval; returns what arrives. */
  private static Set<String> resumeWithoutExpiry(BrokerFixture f, String id, int expected)
      throws Exception {
    Mqtt5BlockingClient c = f.mqtt5(id).buildBlocking();
    Set<String> received = new HashSet<>();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
        c.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      assertThat(c.connectWith().cleanStart(false).send().isSessionPresent()).isTrue();
      for (int i = 0; i < expected; i++) {
        Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
        if (p.isEmpty()) {
          break;
        }
        received.add(new String(p.get().getPayloadAsBytes(), UTF_8));
      }
      // Nothing beyond what was published may arrive either.
      assertThat(publishes.receive(200, TimeUnit.MILLISECONDS)).isEmpty();
    } finally {
      c.disconnect();
    }
    return received;
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void everyQueuedMessageArrivesOnTheResumedSession(Durability durability) throws Exception {
    int n = 1_000; // deeper than the in-memory head, so most payloads wait in the store
    try (BrokerFixture f = start(durability)) {
      subscribeAndLeave(f, "resumer", "orders");
      Mqtt5BlockingClient publisher = f.connect5("publisher");
      Set<String> sent = new HashSet<>();
      for (int i = 0; i < n; i++) {
        String payload = "m" + i;
        publisher
            .publishWith()
            .topic("orders")
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(payload.getBytes(UTF_8))
            .send();
        sent.add(payload);
      }

      assertThat(resumeWithoutExpiry(f, "resumer", n)).isEqualTo(sent);
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void unexpiredMessagesArriveAfterExpiredOnesAreDropped(Durability durability) throws Exception {
    try (BrokerFixture f = start(durability)) {
      subscribeAndLeave(f, "resumer", "orders");
      Mqtt5BlockingClient publisher = f.connect5("publisher");
      for (MqttQos qos : new MqttQos[] {MqttQos.AT_LEAST_ONCE, MqttQos.EXACTLY_ONCE}) {
        for (int seconds : new int[] {1, 60}) {
          publisher
              .publishWith()
              .topic("orders")
              .qos(qos)
              .messageExpiryInterval(seconds)
              .payload((qos.getCode() + "-" + seconds).getBytes(UTF_8))
              .send();
        }
      }
      // The one-second messages expire while the session is offline: time is the subject here.
      Thread.sleep(Duration.ofMillis(1_500).toMillis());

      assertThat(resumeWithoutExpiry(f, "resumer", 2)).containsExactlyInAnyOrder("1-60", "2-60");
    }
  }
}
