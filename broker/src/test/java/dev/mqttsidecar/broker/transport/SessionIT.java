package dev.mqttsidecar.broker.transport;

import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBACK;
import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBCOMP;
import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBLISH;
import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBREC;
import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBREL;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Delivery;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import dev.mqttsidecar.broker.testing.RawMqttClient.Packet;
import dev.mqttsidecar.broker.testing.RecordingSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Clean and persistent sessions, offline queues, resend on resume, takeover, QoS 2 exactly once.
 */
@ExtendWith(LeakCheck.class)
class SessionIT {
  private BrokerFixture fixture;

  @BeforeEach
  void start() throws Exception {
    fixture = BrokerFixture.start(BrokerConfig.builder().maxQueuedMessages(5));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** Waits until the broker has processed the client's disconnect. */
  private void awaitOffline(String clientId) {
    awaitOffline(fixture, clientId);
  }

  static void awaitOffline(BrokerFixture f, String clientId) {
    var sessions = f.services().sessions();
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              var s = sessions.get(clientId);
              return s == null || !s.isOnline();
            });
  }

  private void publish(String topic, String payload, Qos qos) throws Exception {
    fixture.broker().publish(Message.of(topic, payload.getBytes(UTF_8), qos, false)).get();
  }

  @Test
  void mqtt311PersistentSessionQueuesWhileOffline() throws Exception {
    Mqtt3BlockingClient c = fixture.mqtt3("p3").buildBlocking();
    assertThat(c.connectWith().cleanSession(false).send().isSessionPresent()).isFalse();
    c.subscribeWith().topicFilter("q").qos(MqttQos.AT_LEAST_ONCE).send();
    c.disconnect();
    awaitOffline("p3");
    publish("q", "while-away", Qos.AT_LEAST_ONCE);
    publish("q", "qos0-not-queued", Qos.AT_MOST_ONCE);

    Mqtt3BlockingClient again = fixture.mqtt3("p3").buildBlocking();
    try (var in = again.publishes(MqttGlobalPublishFilter.ALL)) {
      assertThat(again.connectWith().cleanSession(false).send().isSessionPresent())
          .isTrue(); // [MQTT-3.2.2-2]
      assertThat(
              new String(in.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), UTF_8))
          .isEqualTo("while-away");
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
    again.disconnect();
    Mqtt3BlockingClient clean = fixture.mqtt3("p3").buildBlocking();
    assertThat(clean.connectWith().cleanSession(true).send().isSessionPresent())
        .isFalse(); // [MQTT-3.2.2-1]
    clean.disconnect();
  }

  @Test
  void mqtt5SessionExpiryKeepsAndThenEndsTheSession() throws Exception {
    Mqtt5BlockingClient c = fixture.mqtt5("p5").buildBlocking();
    c.connectWith().cleanStart(false).sessionExpiryInterval(1).send();
    c.subscribeWith().topicFilter("e").qos(MqttQos.AT_LEAST_ONCE).send();
    c.disconnect();
    Mqtt5BlockingClient back = fixture.mqtt5("p5").buildBlocking();
    assertThat(
            back.connectWith().cleanStart(false).sessionExpiryInterval(1).send().isSessionPresent())
        .isTrue();
    back.disconnect();
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                fixture
                        .broker()
                        .publish(Message.of("e", new byte[0], Qos.AT_LEAST_ONCE, false))
                        .get()
                        .matchedSubscribers()
                    == 0);
    Mqtt5BlockingClient late = fixture.mqtt5("p5").buildBlocking();
    assertThat(
            late.connectWith().cleanStart(false).sessionExpiryInterval(1).send().isSessionPresent())
        .isFalse(); // the expired session is gone
    late.disconnect();
  }

  @Test
  void cleanStartDiscardsAnExistingSession() throws Exception {
    Mqtt5BlockingClient c = fixture.mqtt5("cs").buildBlocking();
    c.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
    c.subscribeWith().topicFilter("cs").qos(MqttQos.AT_LEAST_ONCE).send();
    c.disconnect();
    Mqtt5BlockingClient fresh = fixture.mqtt5("cs").buildBlocking();
    assertThat(fresh.connectWith().cleanStart(true).send().isSessionPresent())
        .isFalse(); // [MQTT-3.1.2-4]
    // CONNACK follows the end of the replaced session: its subscription no longer matches.
    assertThat(
            fixture
                .broker()
                .publish(Message.of("cs", new byte[0], Qos.AT_LEAST_ONCE, false))
                .get()
                .matchedSubscribers())
        .isZero();
    fresh.disconnect();
  }

  @Test
  void sessionTakeoverDisconnectsTheOldConnectionWith0x8E() throws Exception {
    List<Mqtt5DisconnectReasonCode> seen = new ArrayList<>();
    Mqtt5BlockingClient first = fixture.mqtt5RecordingDisconnects("dup", seen).buildBlocking();
    first.connect();
    Mqtt5BlockingClient second = fixture.connect5("dup");
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !first.getState().isConnected());
    synchronized (seen) {
      assertThat(seen)
          .containsExactly(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER); // [MQTT-3.1.4-3]
    }
    assertThat(second.getState().isConnected()).isTrue();
  }

  @Test
  void unacknowledgedQos1IsResentWithDupOnResume() throws Exception {
    try (RawMqttClient c = fixture.raw()) {
      c.send(RawMqttClient.connect311("resume", false, 60));
      c.read();
      c.send(RawMqttClient.subscribe311(1, "r", 1));
      c.readType(RawMqttClient.SUBACK);
      publish("r", "m1", Qos.AT_LEAST_ONCE);
      Packet first = c.readType(PUBLISH);
      assertThat(first.flags() & 0x08).isZero();
    }
    try (RawMqttClient c = fixture.raw()) {
      c.send(RawMqttClient.connect311("resume", false, 60));
      assertThat(c.read().bytes()).containsExactly(0x20, 0x02, 0x01, 0x00); // session present
      Packet resent = c.readType(PUBLISH);
      assertThat(resent.flags() & 0x08).as("DUP").isEqualTo(0x08); // [MQTT-3.3.1-1], [MQTT-4.4.0-1]
      int id = RawMqttClient.u16(resent.body(), 3);
      c.send(RawMqttClient.pubAck(PUBACK, id));
      c.send(RawMqttClient.DISCONNECT_311);
    }
    try (RawMqttClient c = fixture.raw()) {
      c.send(RawMqttClient.connect311("resume", false, 60));
      c.read();
      c.send(RawMqttClient.PINGREQ);
      assertThat(c.read().type())
          .as("nothing resent after PUBACK")
          .isEqualTo(RawMqttClient.PINGRESP);
    }
  }

  @Test
  void outboundQos2FlowResumesWithPubrel() throws Exception {
    try (RawMqttClient c = fixture.raw()) {
      c.send(RawMqttClient.connect311("q2out", false, 60));
      c.read();
      c.send(RawMqttClient.subscribe311(1, "x", 2));
      c.readType(RawMqttClient.SUBACK);
      publish("x", "once", Qos.EXACTLY_ONCE);
      Packet p = c.readType(PUBLISH);
      int id = RawMqttClient.u16(p.body(), 3);
      c.send(RawMqttClient.pubAck(PUBREC, id));
      assertThat(c.read().bytes())
          .containsExactly(0x62, 0x02, id >> 8, id & 0xFF); // [MQTT-4.3.3-4]
    }
    try (RawMqttClient c = fixture.raw()) {
      c.send(RawMqttClient.connect311("q2out", false, 60));
      c.read();
      Packet rel = c.read();
      assertThat(rel.type()).as("PUBREL resent, not PUBLISH").isEqualTo(PUBREL);
      c.send(RawMqttClient.pubAck(PUBCOMP, RawMqttClient.u16(rel.body(), 0)));
      c.send(RawMqttClient.PINGREQ);
      assertThat(c.read().type()).isEqualTo(RawMqttClient.PINGRESP);
    }
  }

  @Test
  void duplicateQos2PublishIsDeliveredOnce() throws Exception {
    RecordingSubscriber rec = RecordingSubscriber.autoAck();
    fixture
        .broker()
        .subscribe(new SubscriptionRequest("watch", "d", Qos.EXACTLY_ONCE, 10, Duration.ZERO), rec);
    try (RawMqttClient c = fixture.raw()) {
      c.send(RawMqttClient.connect311("q2in", false, 60));
      c.read();
      byte[] payload = "exactly".getBytes(UTF_8);
      c.send(RawMqttClient.publish311("d", 2, false, false, 7, payload));
      assertThat(c.read().bytes()).containsExactly(0x50, 0x02, 0x00, 0x07);
      c.send(RawMqttClient.publish311("d", 2, false, true, 7, payload)); // resend with DUP
      assertThat(c.read().bytes()).containsExactly(0x50, 0x02, 0x00, 0x07);
    }
    try (RawMqttClient c = fixture.raw()) {
      // The id survives reconnection as part of the session [MQTT-4.3.3-9].
      c.send(RawMqttClient.connect311("q2in", false, 60));
      c.read();
      c.send(RawMqttClient.publish311("d", 2, false, true, 7, "exactly".getBytes(UTF_8)));
      assertThat(c.read().bytes()).containsExactly(0x50, 0x02, 0x00, 0x07);
      c.send(RawMqttClient.pubAck(PUBREL, 7));
      assertThat(c.read().bytes()).containsExactly(0x70, 0x02, 0x00, 0x07); // [MQTT-4.3.3-11]
    }
    Delivery d = rec.next();
    assertThat(RecordingSubscriber.text(d)).isEqualTo("exactly");
    rec.expectNothing(Duration.ofMillis(300));
  }

  @Test
  void offlineQueueIsBoundedAndOverflowCounted() throws Exception {
    Mqtt3BlockingClient c = fixture.mqtt3("bounded").buildBlocking();
    c.connectWith().cleanSession(false).send();
    c.subscribeWith().topicFilter("b").qos(MqttQos.AT_LEAST_ONCE).send();
    c.disconnect();
    awaitOffline("bounded");
    for (int i = 0; i < 8; i++) {
      publish("b", "m" + i, Qos.AT_LEAST_ONCE);
    }
    long overflow = fixture.services().counters().queueOverflow();
    assertThat(overflow).isEqualTo(3);
    Mqtt3BlockingClient again = fixture.mqtt3("bounded").buildBlocking();
    try (var in = again.publishes(MqttGlobalPublishFilter.ALL)) {
      again.connectWith().cleanSession(false).send();
      List<String> got = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        got.add(
            new String(in.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), UTF_8));
      }
      assertThat(got).containsExactly("m0", "m1", "m2", "m3", "m4"); // DROP_NEWEST by default
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
    again.disconnect();
  }

  @Test
  void dropOldestKeepsTheNewestMessages() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(
            BrokerConfig.builder()
                .maxQueuedMessages(2)
                .queueOverflow(BrokerConfig.QueueOverflow.DROP_OLDEST))) {
      Mqtt3BlockingClient c = f.mqtt3("old").buildBlocking();
      c.connectWith().cleanSession(false).send();
      c.subscribeWith().topicFilter("o").qos(MqttQos.AT_LEAST_ONCE).send();
      c.disconnect();
      awaitOffline(f, "old");
      for (int i = 0; i < 4; i++) {
        f.broker()
            .publish(Message.of("o", ("m" + i).getBytes(UTF_8), Qos.AT_LEAST_ONCE, false))
            .get();
      }
      Mqtt3BlockingClient again = f.mqtt3("old").buildBlocking();
      try (var in = again.publishes(MqttGlobalPublishFilter.ALL)) {
        again.connectWith().cleanSession(false).send();
        assertThat(
                new String(
                    in.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), UTF_8))
            .isEqualTo("m2");
        assertThat(
                new String(
                    in.receive(5, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes(), UTF_8))
            .isEqualTo("m3");
      }
      again.disconnect();
    }
  }

  @Test
  void outboundInflightWindowIsBounded() throws Exception {
    try (BrokerFixture f = BrokerFixture.start(BrokerConfig.builder().maxInflightOutbound(2))) {
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect311("win", true, 60));
        c.read();
        c.send(RawMqttClient.subscribe311(1, "w", 1));
        c.readType(RawMqttClient.SUBACK);
        for (int i = 0; i < 4; i++) {
          f.broker()
              .publish(Message.of("w", ("m" + i).getBytes(UTF_8), Qos.AT_LEAST_ONCE, false))
              .get();
        }
        Packet p1 = c.readType(PUBLISH);
        c.readType(PUBLISH);
        c.send(RawMqttClient.PINGREQ);
        assertThat(c.read().type()).as("third PUBLISH held back").isEqualTo(RawMqttClient.PINGRESP);
        c.send(RawMqttClient.pubAck(PUBACK, RawMqttClient.u16(p1.body(), 3)));
        Packet p3 = c.readType(PUBLISH);
        assertThat(new String(p3.body(), 5, p3.body().length - 5, UTF_8)).isEqualTo("m2");
      }
    }
  }

  @Test
  void mqtt311TakeoverClosesTheOldConnection() throws Exception {
    try (RawMqttClient old = fixture.raw();
        RawMqttClient fresh = fixture.raw()) {
      old.send(RawMqttClient.connect311("same", true, 60));
      old.read();
      fresh.send(RawMqttClient.connect311("same", true, 60));
      assertThat(fresh.read().type()).isEqualTo(RawMqttClient.CONNACK);
      assertThat(old.closedWithin(Duration.ofSeconds(3))).isTrue(); // [MQTT-3.1.4-3]
      fresh.send(RawMqttClient.PINGREQ);
      assertThat(fresh.read().type()).isEqualTo(RawMqttClient.PINGRESP);
    }
  }

  @Test
  void settingSessionExpiryOnDisconnectAfterZeroIsAProtocolError() throws Exception {
    try (RawMqttClient c = fixture.raw()) {
      c.send(RawMqttClient.connect5("zero", true, 60)); // no Session Expiry Interval: 0
      c.read();
      // DISCONNECT 0x00 with Session Expiry Interval (0x11) = 60 [MQTT-3.14.2-2]
      c.send(RawMqttClient.packet(0xE0, RawMqttClient.bytes(0x00, 5, 0x11, 0, 0, 0, 60)));
      Packet p = c.read();
      assertThat(p.type()).isEqualTo(RawMqttClient.DISCONNECT);
      assertThat(p.body()[0] & 0xFF).isEqualTo(0x82);
    }
  }

  @Test
  void pubrecForAnUnknownPacketIdGetsPubrel0x92() throws Exception {
    try (RawMqttClient c = fixture.raw()) {
      c.send(RawMqttClient.connect5("unknown", true, 60));
      c.read();
      c.send(RawMqttClient.pubAck(PUBREC, 42));
      Packet rel = c.read();
      assertThat(rel.type()).isEqualTo(PUBREL);
      assertThat(rel.body()[2] & 0xFF).isEqualTo(0x92);
    }
  }
}
