package dev.mqttsidecar.broker.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Will messages: sent on abnormal close, not on DISCONNECT, 5.0 delay and properties. */
@ExtendWith(LeakCheck.class)
class WillIT {
  private BrokerFixture fixture;
  private Mqtt5BlockingClient watcher;
  private Mqtt5BlockingClient.Mqtt5Publishes wills;

  @BeforeEach
  void start() throws Exception {
    fixture = BrokerFixture.start();
    watcher = fixture.connect5("watcher");
    wills = watcher.publishes(MqttGlobalPublishFilter.ALL);
    watcher.subscribeWith().topicFilter("will/#").qos(MqttQos.EXACTLY_ONCE).send();
  }

  @AfterEach
  void stop() {
    wills.close();
    fixture.close();
  }

  /** CONNECT 3.1.1 with a will (QoS 1, retained). */
  private static byte[] connectWithWill311(String clientId, String topic, String message) {
    return RawMqttClient.packet(
        0x10,
        RawMqttClient.concat(
            RawMqttClient.str("MQTT"),
            RawMqttClient.bytes(4, 0x02 | 0x04 | 0x08 | 0x20),
            RawMqttClient.u16(60),
            RawMqttClient.str(clientId),
            RawMqttClient.str(topic),
            RawMqttClient.str(message)));
  }

  @Test
  void willIsPublishedWithQosAndRetainWhenTheConnectionDrops() throws Exception {
    RawMqttClient c = fixture.raw();
    c.send(connectWithWill311("dies", "will/dies", "gone"));
    c.read();
    c.close(); // no DISCONNECT [MQTT-3.1.2-8]
    Mqtt5Publish p = wills.receive(5, TimeUnit.SECONDS).orElseThrow();
    assertThat(new String(p.getPayloadAsBytes(), UTF_8)).isEqualTo("gone");
    assertThat(p.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
    var retained = fixture.broker().retained().get("will/dies").orElseThrow(); // [MQTT-3.1.2-17]
    assertThat(retained.message().qos()).isEqualTo(Qos.AT_LEAST_ONCE);
  }

  @Test
  void willIsNotPublishedOnNormalDisconnect() throws Exception {
    try (RawMqttClient c = fixture.raw()) {
      c.send(connectWithWill311("polite", "will/polite", "x"));
      c.read();
      c.send(RawMqttClient.DISCONNECT_311); // [MQTT-3.1.2-10]
      assertThat(c.closedWithin(java.time.Duration.ofSeconds(3))).isTrue();
    }
    assertThat(wills.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
  }

  @Test
  void mqtt5DisconnectWithWillMessageSendsTheWill() throws Exception {
    Mqtt5BlockingClient c = fixture.mqtt5("w5").buildBlocking();
    c.connectWith()
        .willPublish()
        .topic("will/w5")
        .payload("bye".getBytes(UTF_8))
        .qos(MqttQos.AT_LEAST_ONCE)
        .contentType("text/plain")
        .userProperties()
        .add("a", "b")
        .applyUserProperties()
        .applyWillPublish()
        .send();
    c.disconnectWith()
        .reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE)
        .send(); // [MQTT-3.14.4-3]
    Mqtt5Publish p = wills.receive(5, TimeUnit.SECONDS).orElseThrow();
    assertThat(new String(p.getPayloadAsBytes(), UTF_8)).isEqualTo("bye");
    assertThat(p.getContentType().orElseThrow().toString()).isEqualTo("text/plain");
    assertThat(p.getUserProperties().asList()).hasSize(1);
  }

  @Test
  void mqtt5NormalDisconnectDiscardsTheWill() throws Exception {
    Mqtt5BlockingClient c = fixture.mqtt5("n5").buildBlocking();
    c.connectWith()
        .willPublish()
        .topic("will/n5")
        .payload("no".getBytes(UTF_8))
        .applyWillPublish()
        .send();
    c.disconnect();
    assertThat(wills.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
  }

  @Test
  void willDelayIsHonouredAndCancelledByReconnect() throws Exception {
    // Delayed will, and the client comes back in time: no will [MQTT-3.1.3-9].
    RawMqttClient c = fixture.raw();
    c.send(connect5WithDelayedWill("delayed", "will/delayed", 1, 60));
    c.read();
    c.close();
    Mqtt5BlockingClient back = fixture.mqtt5("delayed").buildBlocking();
    back.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
    assertThat(wills.receive(1800, TimeUnit.MILLISECONDS)).isEmpty();
    back.disconnect();

    // Delayed will, client stays away: sent after the delay.
    RawMqttClient d = fixture.raw();
    d.send(connect5WithDelayedWill("away", "will/away", 1, 60));
    d.read();
    long start = System.nanoTime();
    d.close();
    Mqtt5Publish p = wills.receive(5, TimeUnit.SECONDS).orElseThrow();
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(800);
    assertThat(p.getTopic().toString()).isEqualTo("will/away");
  }

  @Test
  void takenOverConnectionPublishesItsWill() throws Exception {
    RawMqttClient c = fixture.raw();
    c.send(connectWithWill311("twin", "will/twin", "replaced"));
    c.read();
    Mqtt5BlockingClient other = fixture.connect5("twin");
    assertThat(wills.receive(5, TimeUnit.SECONDS)).isPresent();
    assertThat(other.getState().isConnected()).isTrue();
    c.close();
  }

  /** CONNECT 5.0 with session expiry and a will with a Will Delay Interval. */
  private static byte[] connect5WithDelayedWill(
      String clientId, String topic, int delaySeconds, int sessionExpiry) {
    byte[] connectProps = RawMqttClient.concat(RawMqttClient.bytes(0x11), int32(sessionExpiry));
    byte[] willProps = RawMqttClient.concat(RawMqttClient.bytes(0x18), int32(delaySeconds));
    return RawMqttClient.packet(
        0x10,
        RawMqttClient.concat(
            RawMqttClient.str("MQTT"),
            RawMqttClient.bytes(5, 0x04 | 0x08),
            RawMqttClient.u16(60),
            RawMqttClient.bytes(connectProps.length),
            connectProps,
            RawMqttClient.str(clientId),
            RawMqttClient.bytes(willProps.length),
            willProps,
            RawMqttClient.str(topic),
            RawMqttClient.str("delayed-will")));
  }

  private static byte[] int32(int v) {
    return RawMqttClient.bytes(v >>> 24, v >>> 16, v >>> 8, v);
  }
}
