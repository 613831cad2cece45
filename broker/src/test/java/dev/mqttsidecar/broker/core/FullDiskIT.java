package dev.mqttsidecar.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.BrokerStorageException;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * A full disk under the broker: retained QoS 1 publishes get PUBACK 0x80 once the store cannot
 * write, never a success, and what was acknowledged is there after a restart. Needs a small file
 * system ({@code .ci/run} mounts an 8 MiB tmpfs as root and sets {@code
 * MQTT_SIDECAR_FULL_DISK_DIR}).
 */
@EnabledIfEnvironmentVariable(named = "MQTT_SIDECAR_FULL_DISK_DIR", matches = ".+")
@Timeout(120)
class FullDiskIT {

  @Test
  void aFullDiskFailsPublishesWith0x80AndKeepsWhatWasAcknowledged() throws Exception {
    Path dir =
        Files.createTempDirectory(Path.of(System.getenv("MQTT_SIDECAR_FULL_DISK_DIR")), "broker");
    BrokerConfig.Builder config =
        BrokerConfig.builder().dataDirectory(dir).durability(Durability.FSYNC);
    try {
      int acked = 0;
      Mqtt5PubAckReasonCode failure = null;
      byte[] payload = new byte[64 * 1024];
      try (BrokerFixture f = BrokerFixture.start(config)) {
        Mqtt5BlockingClient c = f.connect5("filler");
        for (int i = 0; i < 10_000 && failure == null; i++) {
          try {
            c.publishWith()
                .topic("fill/" + i)
                .payload(payload)
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(true)
                .send();
            acked++;
          } catch (Mqtt5PubAckException e) {
            failure = e.getMqttMessage().getReasonCode();
          }
        }
        assertThat(failure).isEqualTo(Mqtt5PubAckReasonCode.UNSPECIFIED_ERROR);
        assertThat(f.broker().retained().get("fill/" + acked))
            .as("the refused write is not served")
            .isEmpty();
        System.out.printf("full disk: %d retained publishes acknowledged, then 0x80%n", acked);
      }
      try (BrokerFixture f = BrokerFixture.start(config)) {
        for (int i = 0; i < acked; i++) {
          assertThat(f.broker().retained().get("fill/" + i)).isPresent();
        }
      } catch (BrokerStorageException e) {
        // A store that cannot even open on the full disk is refused with a clear message.
        assertThat(e).hasMessageContaining(dir.toString());
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
