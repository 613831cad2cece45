package dev.mqttsidecar.component;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient.Mqtt5Publishes;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression: CONNACK and SUBACK went out before the session record they acknowledge was stored, so
 * {@code kill -9} right after them could forget a session that CONNACK had reported, or a
 * subscription that SUBACK had granted; messages then published to that subscription after the
 * restart were acknowledged to their publisher and reached nobody. Found by the session life-cycle
 * model (periodic mode, a crash right after a CONNECT). Each round grants a new subscription and
 * kills the process at once. (The CONNACK window alone is narrower than a test can hit reliably:
 * the record is written a moment after CONNACK anyway; the model hit it once.) {@code
 * -Dcrash.rounds=N} runs more rounds than the 5 of CI.
 */
class SessionRecordStoredBeforeAckIT {
  private static final int ROUNDS = Integer.getInteger("crash.rounds", 5);

  @TempDir Path folder;

  @ParameterizedTest
  @ValueSource(strings = {"fsync", "periodic"})
  void aSubscriptionGrantedBySubackSurvivesKillDashNine(String durability) throws Exception {
    Path data = folder.resolve("data-" + durability);
    // Each start checks the subscription granted before the last kill, then grants the next one
    // and is killed right after its SUBACK.
    for (int round = 0; round <= ROUNDS; round++) {
      try (SidecarProcess sidecar = start(data, durability)) {
        if (round > 0) {
          assertGrantedSubscriptionSurvived(sidecar, round - 1);
        }
        if (round < ROUNDS) {
          Mqtt5BlockingClient device = sidecar.mqtt5Client("device-" + round);
          resume(device);
          device.subscribeWith().topicFilter(topic(round)).qos(MqttQos.AT_LEAST_ONCE).send();
          sidecar.kill(); // right after SUBACK
        }
      }
    }
  }

  private static String topic(int round) {
    return "rounds/" + round;
  }

  /** A message published now to the topic of {@code round} reaches that round's session. */
  private static void assertGrantedSubscriptionSurvived(SidecarProcess sidecar, int round)
      throws Exception {
    Mqtt5BlockingClient publisher = sidecar.mqtt5Client("publisher");
    publisher.connect();
    publisher
        .publishWith()
        .topic(topic(round))
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload(("round " + round).getBytes(UTF_8))
        .send();
    publisher.disconnect();
    Mqtt5BlockingClient device = sidecar.mqtt5Client("device-" + round);
    try (Mqtt5Publishes publishes = device.publishes(MqttGlobalPublishFilter.ALL)) {
      assertThat(resume(device)).as("round %d: Session Present after the restart", round).isTrue();
      Optional<Mqtt5Publish> received = publishes.receive(10, TimeUnit.SECONDS);
      assertThat(received)
          .as("round %d: the message for the subscription SUBACK granted", round)
          .map(p -> new String(p.getPayloadAsBytes(), UTF_8))
          .contains("round " + round);
    }
    device.disconnect();
  }

  /** Connects with Clean Start 0 and a one-hour session; returns CONNACK's Session Present. */
  private static boolean resume(Mqtt5BlockingClient device) {
    return device
        .connectWith()
        .cleanStart(false)
        .sessionExpiryInterval(3600)
        .send()
        .isSessionPresent();
  }

  private SidecarProcess start(Path data, String durability) throws Exception {
    return SidecarProcess.start(
        folder, "acks", "--data-dir", data.toString(), "--durability", durability);
  }
}
