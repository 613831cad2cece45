package dev.mqttsidecar.broker.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Message Expiry Interval over MQTT, on an injected clock; and DISCONNECT 0x8B on stop. */
@ExtendWith(LeakCheck.class)
class ExpiryIT {
  private final MutableClock clock = new MutableClock();
  private BrokerFixture fixture;

  @BeforeEach
  void start() throws Exception {
    fixture = BrokerFixture.start(BrokerConfig.builder().clock(clock));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void inboundExpiryBecomesAbsoluteAndExpiredRetainedIsNotDelivered() throws Exception {
    Mqtt5BlockingClient pub = fixture.connect5("pub");
    Instant before = clock.instant();
    pub.publishWith()
        .topic("exp")
        .qos(MqttQos.AT_LEAST_ONCE)
        .retain(true)
        .messageExpiryInterval(30)
        .payload("soon".getBytes(UTF_8))
        .send();
    var stored = fixture.broker().retained().get("exp").orElseThrow();
    assertThat(stored.message().expiresAt()).isEqualTo(before.plusSeconds(30));

    clock.advance(Duration.ofSeconds(10));
    Mqtt5BlockingClient sub = fixture.connect5("sub");
    try (var in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("exp").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5Publish p = in.receive(5, TimeUnit.SECONDS).orElseThrow();
      assertThat(p.getMessageExpiryInterval().getAsLong())
          .isEqualTo(20); // remaining lifetime [MQTT-3.3.2-6]
    }
    clock.advance(Duration.ofSeconds(25));
    Mqtt5BlockingClient late = fixture.connect5("late");
    try (var in = late.publishes(MqttGlobalPublishFilter.ALL)) {
      late.subscribeWith().topicFilter("exp").qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty(); // [MQTT-3.3.2-5]
    }
  }

  @Test
  void expiredMessagesAreDroppedFromOfflineQueues() throws Exception {
    Mqtt5BlockingClient c = fixture.mqtt5("off").buildBlocking();
    c.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
    c.subscribeWith().topicFilter("q").qos(MqttQos.AT_LEAST_ONCE).send();
    c.disconnect();
    SessionIT.awaitOffline(fixture, "off");
    Mqtt5BlockingClient pub = fixture.connect5("pub");
    pub.publishWith()
        .topic("q")
        .qos(MqttQos.AT_LEAST_ONCE)
        .messageExpiryInterval(5)
        .payload("short".getBytes(UTF_8))
        .send();
    pub.publishWith()
        .topic("q")
        .qos(MqttQos.AT_LEAST_ONCE)
        .messageExpiryInterval(500)
        .payload("long".getBytes(UTF_8))
        .send();
    clock.advance(Duration.ofSeconds(60));
    Mqtt5BlockingClient back = fixture.mqtt5("off").buildBlocking();
    try (var in = back.publishes(MqttGlobalPublishFilter.ALL)) {
      back.connectWith().cleanStart(false).sessionExpiryInterval(300).send();
      Mqtt5Publish p = in.receive(5, TimeUnit.SECONDS).orElseThrow();
      assertThat(new String(p.getPayloadAsBytes(), UTF_8)).isEqualTo("long");
      assertThat(p.getMessageExpiryInterval().getAsLong()).isEqualTo(440);
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
    back.disconnect();
  }

  @Test
  void stopSendsServerShuttingDownToMqtt5Clients() throws Exception {
    List<Mqtt5DisconnectReasonCode> seen = new ArrayList<>();
    Mqtt5BlockingClient c = fixture.mqtt5RecordingDisconnects("bye", seen).buildBlocking();
    c.connect();
    Broker broker = fixture.broker();
    broker.stop();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !c.getState().isConnected());
    synchronized (seen) {
      assertThat(seen).containsExactly(Mqtt5DisconnectReasonCode.SERVER_SHUTTING_DOWN);
    }
    broker.stop(); // idempotent
  }
}
