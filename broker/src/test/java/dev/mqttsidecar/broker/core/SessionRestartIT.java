package dev.mqttsidecar.broker.core;

import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBACK;
import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBLISH;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.MutableClock;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import dev.mqttsidecar.broker.testing.RawMqttClient.Packet;
import dev.mqttsidecar.broker.testing.RecordingSubscriber;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persistent sessions across a broker restart on the same data directory: subscriptions, queued
 * messages, messages in flight, session expiry in wall-clock time, and in-process consumer groups.
 */
@ExtendWith(LeakCheck.class)
class SessionRestartIT {
  private static final byte[] SESSION_PRESENT = {0x20, 0x02, 0x01, 0x00};
  private static final byte[] NO_SESSION = {0x20, 0x02, 0x00, 0x00};

  @TempDir Path tmp;
  private final MutableClock clock = new MutableClock();

  private BrokerFixture start() throws Exception {
    return BrokerFixture.start(
        BrokerConfig.builder()
            .dataDirectory(tmp.resolve("data"))
            .durability(Durability.FSYNC)
            .maxSessionExpiry(Duration.ofSeconds(60))
            .clock(clock));
  }

  private static void publish(BrokerFixture f, String topic, String payload, Qos qos)
      throws Exception {
    assertThat(f.broker().publish(Message.of(topic, payload.getBytes(UTF_8), qos, false)).get())
        .matches(r -> r.isAccepted());
  }

  /** A 3.1.1 persistent session subscribed to {@code filter}, then disconnected. */
  private static void persistentSubscriber(BrokerFixture f, String id, String filter, int qos)
      throws Exception {
    try (RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect311(id, false, 60));
      c.read();
      c.send(RawMqttClient.subscribe311(1, filter, qos));
      c.readType(RawMqttClient.SUBACK);
      c.send(RawMqttClient.DISCONNECT_311);
      assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
  }

  private static String payloadOf(Packet publish) {
    byte[] body = publish.body();
    int topicLength = RawMqttClient.u16(body, 0);
    int qos = (publish.flags() >> 1) & 3;
    int start = 2 + topicLength + (qos > 0 ? 2 : 0);
    return new String(Arrays.copyOfRange(body, start, body.length), UTF_8);
  }

  private static int packetIdOf(Packet publish) {
    return RawMqttClient.u16(publish.body(), 2 + RawMqttClient.u16(publish.body(), 0));
  }

  @Test
  void subscriptionsAndQueuedMessagesSurviveARestartAndSettledOnesStayGone() throws Exception {
    try (BrokerFixture f = start()) {
      persistentSubscriber(f, "dev", "q/#", 1);
      for (int i = 0; i < 5; i++) {
        publish(f, "q/" + i, "m" + i, Qos.AT_LEAST_ONCE);
      }
    }
    try (BrokerFixture f = start()) {
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect311("dev", false, 60));
        assertThat(c.read().bytes()).containsExactly(SESSION_PRESENT);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          Packet p = c.readType(PUBLISH);
          got.add(payloadOf(p));
          c.send(RawMqttClient.pubAck(PUBACK, packetIdOf(p)));
        }
        assertThat(got).containsExactly("m0", "m1", "m2", "m3", "m4");
        // The subscription itself came back too.
        publish(f, "q/new", "after", Qos.AT_LEAST_ONCE);
        Packet p = c.readType(PUBLISH);
        assertThat(payloadOf(p)).isEqualTo("after");
        c.send(RawMqttClient.pubAck(PUBACK, packetIdOf(p)));
        c.send(RawMqttClient.DISCONNECT_311);
        assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
      }
    }
    try (BrokerFixture f = start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect311("dev", false, 60));
      assertThat(c.read().bytes()).containsExactly(SESSION_PRESENT);
      c.send(RawMqttClient.PINGREQ);
      assertThat(c.read().type()).as("nothing resent after PUBACK").isEqualTo(13);
    }
  }

  @Test
  void aCleanStartDiscardsTheStoredSessionButNotWhatItsSuccessorStores() throws Exception {
    try (BrokerFixture f = start()) {
      persistentSubscriber(f, "cs", "old/#", 1);
      publish(f, "old/1", "stale", Qos.AT_LEAST_ONCE);
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect311("cs", true, 60)); // clean session: the old one goes
        assertThat(c.read().bytes()).containsExactly(NO_SESSION);
        c.send(RawMqttClient.DISCONNECT_311);
        assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
      }
      persistentSubscriber(f, "cs", "new/#", 1);
      publish(f, "old/2", "unsubscribed", Qos.AT_LEAST_ONCE);
      publish(f, "new/1", "fresh", Qos.AT_LEAST_ONCE);
    }
    try (BrokerFixture f = start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect311("cs", false, 60));
      assertThat(c.read().bytes()).containsExactly(SESSION_PRESENT);
      Packet p = c.read();
      assertThat(p.type()).isEqualTo(PUBLISH);
      assertThat(payloadOf(p)).isEqualTo("fresh");
      c.send(RawMqttClient.pubAck(PUBACK, packetIdOf(p)));
      c.send(RawMqttClient.PINGREQ);
      assertThat(c.read().type()).as("nothing of the discarded session").isEqualTo(13);
    }
  }

  @Test
  void aBacklogWhosePayloadsWaitOnDiskArrivesWholeAndInOrder() throws Exception {
    int count = 300; // more than the in-flight window and the in-memory head of 64
    int unacked = 40;
    try (BrokerFixture f = start()) {
      persistentSubscriber(f, "slow", "b/#", 1);
      for (int i = 0; i < count; i++) {
        publish(f, "b/" + (i % 7), "m" + i, Qos.AT_LEAST_ONCE); // offline: payloads go to disk
      }
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect311("slow", false, 60));
        assertThat(c.read().bytes()).containsExactly(SESSION_PRESENT);
        for (int i = 0; i < count; i++) {
          Packet p = c.readType(PUBLISH);
          assertThat(payloadOf(p)).isEqualTo("m" + i);
          if (i < count - unacked) {
            c.send(RawMqttClient.pubAck(PUBACK, packetIdOf(p)));
          } // the last ones stay in flight across the restart below
        }
        c.send(RawMqttClient.PINGREQ); // the broker has read every PUBACK before it answers
        assertThat(c.readType(13)).isNotNull();
      }
    }
    try (BrokerFixture f = start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect311("slow", false, 60));
      assertThat(c.read().bytes()).containsExactly(SESSION_PRESENT);
      for (int i = count - unacked; i < count; i++) {
        Packet p = c.readType(PUBLISH);
        assertThat(payloadOf(p)).as("unacknowledged message %d", i).isEqualTo("m" + i);
        c.send(RawMqttClient.pubAck(PUBACK, packetIdOf(p)));
      }
      c.send(RawMqttClient.PINGREQ);
      assertThat(c.read().type()).as("nothing else").isEqualTo(13);
    }
  }

  @Test
  void aQos2MessageInFlightIsSentAgainUnderItsPacketIdWithDupAfterARestart() throws Exception {
    int id;
    try (BrokerFixture f = start()) {
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect311("q2", false, 60));
        c.read();
        c.send(RawMqttClient.subscribe311(1, "x", 2));
        c.readType(RawMqttClient.SUBACK);
        publish(f, "x", "once", Qos.EXACTLY_ONCE);
        Packet first = c.readType(PUBLISH);
        assertThat(payloadOf(first)).isEqualTo("once");
        assertThat(first.flags() & 8).as("DUP on the first send").isZero();
        id = packetIdOf(first);
        // No PUBREC: the broker stops with the message in flight.
      }
    }
    try (BrokerFixture f = start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect311("q2", false, 60));
      assertThat(c.read().bytes()).containsExactly(SESSION_PRESENT);
      Packet p = c.readType(PUBLISH);
      assertThat(payloadOf(p)).isEqualTo("once");
      assertThat((p.flags() >> 1) & 3).isEqualTo(2);
      // The client may hold this id from before: same id and DUP, so it does not deliver twice.
      assertThat(packetIdOf(p)).as("original packet id [MQTT-4.4.0-1]").isEqualTo(id);
      assertThat(p.flags() & 8).as("DUP [MQTT-3.3.1-1]").isEqualTo(8);
      c.send(RawMqttClient.pubAck(RawMqttClient.PUBREC, id));
      c.readType(RawMqttClient.PUBREL);
      c.send(RawMqttClient.pubAck(RawMqttClient.PUBCOMP, id));
      c.send(RawMqttClient.PINGREQ);
      assertThat(c.read().type()).isEqualTo(13);
    }
    try (BrokerFixture f = start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect311("q2", false, 60));
      assertThat(c.read().bytes()).containsExactly(SESSION_PRESENT);
      c.send(RawMqttClient.PINGREQ);
      assertThat(c.read().type()).as("settled for good").isEqualTo(13);
    }
  }

  @Test
  void anOutboundQos2FlowPastPubrecResumesWithPubrelAfterARestart() throws Exception {
    int id;
    try (BrokerFixture f = start()) {
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect311("q2rel", false, 60));
        c.read();
        c.send(RawMqttClient.subscribe311(1, "x", 2));
        c.readType(RawMqttClient.SUBACK);
        publish(f, "x", "once", Qos.EXACTLY_ONCE);
        Packet p = c.readType(PUBLISH);
        id = packetIdOf(p);
        c.send(RawMqttClient.pubAck(RawMqttClient.PUBREC, id));
        c.readType(RawMqttClient.PUBREL);
        // No PUBCOMP: the client has the message; the broker stops before the flow ends.
      }
    }
    try (BrokerFixture f = start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect311("q2rel", false, 60));
      assertThat(c.read().bytes()).containsExactly(SESSION_PRESENT);
      Packet p = c.read();
      assertThat(p.type()).as("PUBREL, not the PUBLISH again").isEqualTo(RawMqttClient.PUBREL);
      assertThat(RawMqttClient.u16(p.body(), 0)).isEqualTo(id);
      c.send(RawMqttClient.pubAck(RawMqttClient.PUBCOMP, id));
      c.send(RawMqttClient.PINGREQ);
      assertThat(c.read().type()).isEqualTo(13);
    }
    try (BrokerFixture f = start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect311("q2rel", false, 60));
      assertThat(c.read().bytes()).containsExactly(SESSION_PRESENT);
      c.send(RawMqttClient.PINGREQ);
      assertThat(c.read().type()).as("settled for good").isEqualTo(13);
    }
  }

  @Test
  void anInboundQos2MessageResentAfterARestartIsNotDeliveredTwice() throws Exception {
    byte[] payload = "exactly-once".getBytes(UTF_8);
    try (BrokerFixture f = start()) {
      persistentSubscriber(f, "sub", "in", 2);
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect311("pub", false, 60));
        c.read();
        c.send(RawMqttClient.publish311("in", 2, false, false, 7, payload));
        c.readType(RawMqttClient.PUBREC); // durable: message and packet id
        // No PUBREL: the broker stops in the middle of the flow.
      }
    }
    try (BrokerFixture f = start()) {
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect311("pub", false, 60));
        assertThat(c.read().bytes()).containsExactly(SESSION_PRESENT);
        c.send(RawMqttClient.publish311("in", 2, false, true, 7, payload)); // [MQTT-4.4.0-1]
        c.readType(RawMqttClient.PUBREC);
        c.send(RawMqttClient.pubAck(RawMqttClient.PUBREL, 7));
        c.readType(RawMqttClient.PUBCOMP);
      }
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect311("sub", false, 60));
        assertThat(c.read().bytes()).containsExactly(SESSION_PRESENT);
        Packet p = c.read();
        assertThat(p.type()).isEqualTo(PUBLISH);
        assertThat(payloadOf(p)).isEqualTo("exactly-once");
        c.send(RawMqttClient.pubAck(RawMqttClient.PUBREC, packetIdOf(p)));
        // A second copy would have been sent with the first, before this PUBREL.
        assertThat(c.read().type()).as("delivered once").isEqualTo(RawMqttClient.PUBREL);
        c.send(RawMqttClient.pubAck(RawMqttClient.PUBCOMP, packetIdOf(p)));
        c.send(RawMqttClient.PINGREQ);
        assertThat(c.read().type()).as("nothing else queued").isEqualTo(13);
      }
    }
  }

  @Test
  void sessionExpiryCountsInWallClockTimeWhileTheBrokerIsDown() throws Exception {
    try (BrokerFixture f = start()) {
      persistentSubscriber(f, "a", "t", 1);
      persistentSubscriber(f, "b", "t", 1);
    }
    clock.advance(Duration.ofSeconds(30));
    try (BrokerFixture f = start();
        RawMqttClient c = f.raw()) {
      c.send(RawMqttClient.connect311("a", false, 60));
      assertThat(c.read().bytes()).containsExactly(SESSION_PRESENT);
      c.send(RawMqttClient.DISCONNECT_311); // a's expiry starts again now
      assertThat(c.closedWithin(Duration.ofSeconds(5))).isTrue();
    }
    clock.advance(Duration.ofSeconds(31)); // b: 61 s since it left; a: 31 s
    try (BrokerFixture f = start()) {
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect311("b", false, 60));
        assertThat(c.read().bytes()).as("b expired").containsExactly(NO_SESSION);
      }
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect311("a", false, 60));
        assertThat(c.read().bytes()).as("a still there").containsExactly(SESSION_PRESENT);
      }
    }
  }

  @Test
  void anInProcessConsumerGroupGetsItsQueuedMessagesAfterARestart() throws Exception {
    SubscriptionRequest request =
        new SubscriptionRequest(
            "member-1", "$share/app/orders", Qos.AT_LEAST_ONCE, 10, Duration.ofSeconds(60));
    try (BrokerFixture f = start()) {
      Subscription s = f.broker().subscribe(request, RecordingSubscriber.manual());
      s.close();
      for (int i = 0; i < 3; i++) {
        publish(f, "orders", "o" + i, Qos.AT_LEAST_ONCE);
      }
    }
    try (BrokerFixture f = start()) {
      RecordingSubscriber subscriber = RecordingSubscriber.autoAck();
      f.broker().subscribe(request, subscriber);
      List<String> got = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        got.add(RecordingSubscriber.text(subscriber.next(Duration.ofSeconds(10))));
      }
      assertThat(got).containsExactly("o0", "o1", "o2");
      subscriber.expectNothing(Duration.ofMillis(200));
    }
  }
}
