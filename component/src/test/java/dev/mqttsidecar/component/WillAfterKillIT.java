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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A will is acknowledged state: CONNACK goes out once it is stored, so {@code kill -9} of the
 * sidecar while its client is connected does not lose it. After the restart on the same data
 * directory a delayed will (MQTT 5 Will Delay Interval) waits its delay from the start and reaches
 * a persistent QoS 1 subscriber, and a client that reconnects within its delay cancels its will
 * [MQTT-3.1.3-9].
 */
class WillAfterKillIT {
  private static final long DELAY_SECONDS = 3;
  private static final long RETURNER_DELAY_SECONDS = 5;

  @TempDir Path folder;

  @ParameterizedTest
  @ValueSource(strings = {"fsync", "periodic"})
  void aDelayedWillSurvivesKillDashNineAndAReconnectWithinTheDelayCancelsOne(String durability)
      throws Exception {
    Path data = folder.resolve("data-" + durability);
    try (SidecarProcess sidecar = start(data, durability)) {
      Mqtt5BlockingClient watcher = sidecar.mqtt5Client("watcher");
      watcher.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
      watcher.subscribeWith().topicFilter("will/#").qos(MqttQos.AT_LEAST_ONCE).send();
      watcher.disconnect();
      connectWithDelayedWill(sidecar.mqtt5Client("device"), DELAY_SECONDS);
      connectWithDelayedWill(sidecar.mqtt5Client("returner"), RETURNER_DELAY_SECONDS);
      sidecar.kill(); // right after the CONNACKs: both devices still connected
    }

    long restarted = System.nanoTime();
    try (SidecarProcess sidecar = start(data, durability)) {
      Mqtt5BlockingClient returner = sidecar.mqtt5Client("returner");
      returner.connectWith().cleanStart(false).sessionExpiryInterval(60).send();

      Mqtt5BlockingClient watcher = sidecar.mqtt5Client("watcher");
      List<String> received = new ArrayList<>();
      try (Mqtt5Publishes publishes = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
        assertThat(watcher.connectWith().cleanStart(false).send().isSessionPresent()).isTrue();
        // Wait past the returner's delay, so a will it failed to cancel would have arrived.
        long deadline = restarted + Duration.ofSeconds(RETURNER_DELAY_SECONDS + 2).toNanos();
        for (long left = deadline - System.nanoTime(); left > 0; ) {
          Optional<Mqtt5Publish> p = publishes.receive(left, TimeUnit.NANOSECONDS);
          p.ifPresent(m -> received.add(new String(m.getPayloadAsBytes(), UTF_8)));
          if (p.isPresent()) {
            assertThat(Duration.ofNanos(System.nanoTime() - restarted))
                .as("the delay counts from the restart")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(DELAY_SECONDS));
          }
          left = deadline - System.nanoTime();
        }
      }
      assertThat(received).containsExactly("offline device");
      returner.disconnect();
      watcher.disconnect();
    }
  }

  /** Connects with a 60 s session and a QoS 1 will on will/{id}, delayed {@code delay} s. */
  private static void connectWithDelayedWill(Mqtt5BlockingClient device, long delay) {
    String id = device.getConfig().getClientIdentifier().orElseThrow().toString();
    device
        .connectWith()
        .sessionExpiryInterval(60)
        .willPublish()
        .topic("will/" + id)
        .payload(("offline " + id).getBytes(UTF_8))
        .qos(MqttQos.AT_LEAST_ONCE)
        .delayInterval(delay)
        .applyWillPublish()
        .send();
  }

  private SidecarProcess start(Path data, String durability) throws Exception {
    return SidecarProcess.start(
        folder, "wills", "--data-dir", data.toString(), "--durability", durability);
  }
}
