package dev.mqttsidecar.security;

import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBACK;
import static dev.mqttsidecar.broker.testing.RawMqttClient.bytes;
import static dev.mqttsidecar.broker.testing.RawMqttClient.concat;
import static dev.mqttsidecar.broker.testing.RawMqttClient.packet;
import static dev.mqttsidecar.broker.testing.RawMqttClient.str;
import static dev.mqttsidecar.broker.testing.RawMqttClient.u16;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import dev.mqttsidecar.broker.testing.RecordingSubscriber;
import dev.mqttsidecar.broker.testing.WillConnects;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Publishing through the real broker under {@link DeviceRulesFixture#RULES}, where device {@code a}
 * may publish below {@code devices/a/} only: each test tries another way to reach {@code
 * devices/b/}. An in-process subscriber to {@code devices/#} sees what got through; a marker
 * published after each attempt proves that nothing did.
 */
@ExtendWith(LeakCheck.class)
class PublishAuthorizationIT {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final int TOPIC_ALIAS = 0x23;

  private static RecordingSubscriber watchDevices(BrokerFixture f) {
    RecordingSubscriber watcher = RecordingSubscriber.autoAck();
    f.broker()
        .subscribe(
            new SubscriptionRequest("watcher", "devices/#", Qos.AT_LEAST_ONCE, 100, Duration.ZERO),
            watcher);
    return watcher;
  }

  /** A 5.0 QoS 1 PUBLISH with a Topic Alias; an empty topic uses the alias alone. */
  private static byte[] aliased(String topic, int alias, int packetId) {
    return packet(
        0x32, concat(str(topic), u16(packetId), bytes(3, TOPIC_ALIAS, 0, alias), bytes(1)));
  }

  private static int pubAckReason(RawMqttClient c) throws Exception {
    byte[] body = c.readType(PUBACK).body();
    return body.length > 2 ? body[2] & 0xFF : 0;
  }

  private static RawMqttClient device5(BrokerFixture f, String id) throws Exception {
    RawMqttClient c = f.raw();
    c.send(RawMqttClient.connect5(id, true, 30));
    c.read();
    return c;
  }

  @Test
  void anAliasResolvesBeforeTheCheck() throws Exception {
    try (BrokerFixture f = DeviceRulesFixture.start();
        RawMqttClient c = device5(f, "a")) {
      RecordingSubscriber watcher = watchDevices(f);
      c.send(aliased("devices/a/t", 1, 1));
      assertThat(pubAckReason(c)).isZero();
      c.send(aliased("", 1, 2)); // the alias alone, for an allowed topic
      assertThat(pubAckReason(c)).isZero();
      assertThat(watcher.next(WAIT).message().topic()).isEqualTo("devices/a/t");
      assertThat(watcher.next(WAIT).message().topic()).isEqualTo("devices/a/t");

      // Alias 1 remapped to a denied topic, then used alone: denied both times, the old
      // mapping does not count.
      c.send(aliased("devices/b/t", 1, 3));
      assertThat(pubAckReason(c)).isEqualTo(0x87);
      c.send(aliased("", 1, 4));
      assertThat(pubAckReason(c)).isEqualTo(0x87);
      // An alias first set on a denied topic is denied whenever it is used.
      c.send(aliased("devices/b/u", 2, 5));
      assertThat(pubAckReason(c)).isEqualTo(0x87);
      c.send(aliased("", 2, 6));
      assertThat(pubAckReason(c)).isEqualTo(0x87);

      c.send(aliased("devices/a/marker", 3, 7));
      assertThat(pubAckReason(c)).isZero();
      assertThat(watcher.next(WAIT).message().topic()).isEqualTo("devices/a/marker");
    }
  }

  @Test
  void aWillOnADeniedTopicRefusesTheConnection() throws Exception {
    try (BrokerFixture f = DeviceRulesFixture.start()) {
      RecordingSubscriber watcher = watchDevices(f);
      try (RawMqttClient c = f.raw()) {
        c.send(WillConnects.v5("a", null, "devices/b/status", 1));
        assertThat(c.read().bytes()).containsExactly(0x20, 0x03, 0x00, 0x87, 0x00);
        assertThat(c.closedWithin(WAIT)).isTrue();
      }
      try (RawMqttClient c = f.raw()) {
        c.send(WillConnects.v311("a", null, "devices/b/status", 1));
        assertThat(c.read().bytes()).containsExactly(0x20, 0x02, 0x00, 0x05);
        assertThat(c.closedWithin(WAIT)).isTrue();
      }
      // The will on its own topic is accepted, and sent when the connection drops.
      RawMqttClient c = f.raw();
      c.send(WillConnects.v311("a", null, "devices/a/status", 1));
      assertThat(c.read().bytes()).containsExactly(0x20, 0x02, 0x00, 0x00);
      c.close();
      assertThat(watcher.next(WAIT).message().topic()).isEqualTo("devices/a/status");
    }
  }

  @Test
  void aDeniedPublishFromA311ClientIsAcknowledgedDroppedAndCounted() throws Exception {
    try (BrokerFixture f =
            DeviceRulesFixture.start(BrokerConfig.builder().sysInterval(Duration.ofMillis(100)));
        RawMqttClient c = f.raw()) {
      RecordingSubscriber watcher = watchDevices(f);
      Map<String, String> sys = new ConcurrentHashMap<>();
      f.broker()
          .subscribe(
              new SubscriptionRequest("sys", "$SYS/broker/#", Qos.AT_MOST_ONCE, 10, Duration.ZERO),
              d -> {
                sys.put(d.message().topic(), RecordingSubscriber.text(d));
                d.ack();
              });
      c.send(RawMqttClient.connect311("a", true, 30));
      c.read();
      c.send(RawMqttClient.publish311("devices/b/x", 0, false, false, 0, bytes(1)));
      c.send(RawMqttClient.publish311("devices/b/x", 1, false, false, 1, bytes(1)));
      assertThat(c.readType(PUBACK).bytes()).containsExactly(0x40, 0x02, 0x00, 0x01);
      c.send(RawMqttClient.publish311("devices/b/x", 2, false, false, 2, bytes(1)));
      assertThat(c.readType(RawMqttClient.PUBREC).bytes()).containsExactly(0x50, 0x02, 0x00, 0x02);
      c.send(RawMqttClient.pubAck(RawMqttClient.PUBREL, 2));
      assertThat(c.readType(RawMqttClient.PUBCOMP).bytes()).containsExactly(0x70, 0x02, 0x00, 0x02);
      c.send(RawMqttClient.publish311("devices/a/marker", 1, false, false, 3, bytes(1)));
      assertThat(c.readType(PUBACK).bytes()).containsExactly(0x40, 0x02, 0x00, 0x03);

      assertThat(watcher.next(WAIT).message().topic()).isEqualTo("devices/a/marker");
      Awaitility.await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(sys)
                      .containsEntry("$SYS/broker/publish/messages/dropped/not-authorized", "3"));
    }
  }
}
