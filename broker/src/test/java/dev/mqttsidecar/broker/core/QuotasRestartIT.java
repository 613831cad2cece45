package dev.mqttsidecar.broker.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Quotas;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quotas on a durable broker started again: what the store holds is counted as it is loaded, so
 * a restart neither forgets the retained messages and persistent sessions nor lets new ones past
 * the bounds.
 */
@ExtendWith(LeakCheck.class)
class QuotasRestartIT {
  @TempDir Path data;

  private BrokerConfig.Builder durable(Quotas quotas) {
    return BrokerConfig.builder().dataDirectory(data).durability(Durability.FSYNC).quotas(quotas);
  }

  private static void retain(Mqtt5BlockingClient c, String topic, String payload) {
    c.publishWith()
        .topic(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .retain(true)
        .payload(payload.getBytes(UTF_8))
        .send();
  }

  private static Mqtt5PubAckReasonCode refusal(
      Mqtt5BlockingClient c, String topic, String payload) {
    return catchThrowableOfType(() -> retain(c, topic, payload), Mqtt5PubAckException.class)
        .getMqttMessage()
        .getReasonCode();
  }

  @Test
  void theRetainedQuotaCountsWhatTheStoreHoldsAfterARestart() throws Exception {
    Quotas three = Quotas.DEFAULTS.withMaxRetainedMessages(3);
    long bytes;
    try (BrokerFixture f = BrokerFixture.start(durable(three))) {
      Mqtt5BlockingClient pub = f.connect5("pub");
      for (int i = 0; i < 3; i++) {
        retain(pub, "state/" + i, "value-" + i);
      }
      bytes = f.services().retained().bytes();
      assertThat(bytes).isEqualTo(3 * ("state/0".length() + "value-0".length()));
    }
    try (BrokerFixture f = BrokerFixture.start(durable(three))) {
      assertThat(f.services().retained().bytes()).isEqualTo(bytes);
      Mqtt5BlockingClient pub = f.connect5("pub");
      assertThat(refusal(pub, "state/3", "new")).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
      retain(pub, "state/0", "replaced");
      assertThat(f.broker().retained().topics("state/")).hasSize(3);
    }
    // Restarted with a bytes bound below what is held: the store may shrink, not grow.
    Quotas tight = three.withMaxRetainedBytes(10);
    try (BrokerFixture f = BrokerFixture.start(durable(tight))) {
      Mqtt5BlockingClient pub = f.connect5("pub");
      assertThat(refusal(pub, "state/1", "value-1 and more"))
          .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
      retain(pub, "state/1", "v");
      pub.publishWith().topic("state/2").qos(MqttQos.AT_LEAST_ONCE).retain(true).send(); // delete
      assertThat(f.broker().retained().topics("state/")).containsExactly("state/0", "state/1");
    }
  }

  @Test
  void restoredPersistentSessionsKeepTheirPlaces() throws Exception {
    Quotas one = Quotas.DEFAULTS.withMaxPersistentSessions(1);
    try (BrokerFixture f = BrokerFixture.start(durable(one))) {
      Mqtt5BlockingClient kept = f.mqtt5("kept").buildBlocking();
      kept.connectWith().cleanStart(false).sessionExpiryInterval(600).send();
      kept.disconnect();
    }
    try (BrokerFixture f = BrokerFixture.start(durable(one))) {
      Mqtt5BlockingClient other = f.mqtt5("other").buildBlocking();
      Mqtt5ConnAckException refused =
          catchThrowableOfType(
              () -> other.connectWith().cleanStart(false).sessionExpiryInterval(600).send(),
              Mqtt5ConnAckException.class);
      assertThat(refused.getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED);
      Mqtt5BlockingClient kept = f.mqtt5("kept").buildBlocking();
      assertThat(
              kept.connectWith()
                  .cleanStart(false)
                  .sessionExpiryInterval(600)
                  .send()
                  .isSessionPresent())
          .isTrue();
      kept.disconnect();
    }
  }
}
