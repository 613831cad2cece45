package dev.mqttsidecar.broker.transport;

import static dev.mqttsidecar.broker.testing.RawMqttClient.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Authorizer;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.broker.Message;
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
 * {@code $SYS} and {@code $events} belong to the broker: no client publishes there, whatever the
 * authorizer allows; in-process publishers still do. Refused publishes and subscriptions are
 * counted on {@code $SYS}.
 */
@ExtendWith(LeakCheck.class)
class BrokerTopicsIT {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static BrokerConfig.Builder quiet() {
    // Authorizer.ALLOW_ALL is the default: the refusals below come from the broker itself.
    return BrokerConfig.builder().sysInterval(Duration.ZERO).lifecycleEvents(false);
  }

  private static RecordingSubscriber watch(BrokerFixture f, String filter) {
    RecordingSubscriber watcher = RecordingSubscriber.autoAck();
    f.broker()
        .subscribe(
            new SubscriptionRequest(
                "watch-" + filter, filter, Qos.AT_LEAST_ONCE, 10, Duration.ZERO),
            watcher);
    return watcher;
  }

  @Test
  void mqtt5ClientsGetNotAuthorizedForTheBrokersTopics() throws Exception {
    try (BrokerFixture f = BrokerFixture.start(quiet());
        RawMqttClient c = f.raw()) {
      RecordingSubscriber sys = watch(f, "$SYS/#");
      RecordingSubscriber events = watch(f, "$events/#");
      c.send(RawMqttClient.connect5("forger", true, 30));
      c.read();
      c.send(RawMqttClient.publish5("$SYS/broker/clients/connected", 0, false, false, 0, bytes(9)));
      c.send(RawMqttClient.publish5("$SYS/broker/uptime", 1, false, false, 1, bytes(1)));
      assertThat(c.readType(RawMqttClient.PUBACK).bytes())
          .containsExactly(0x40, 0x04, 0x00, 0x01, 0x87, 0x00);
      c.send(RawMqttClient.publish5("$events/clients/x/connected", 2, false, false, 2, bytes(1)));
      assertThat(c.readType(RawMqttClient.PUBREC).bytes())
          .containsExactly(0x50, 0x04, 0x00, 0x02, 0x87, 0x00);
      c.send(RawMqttClient.publish5("$SYS", 1, true, false, 3, bytes(1)));
      assertThat(c.readType(RawMqttClient.PUBACK).body()[2] & 0xFF).isEqualTo(0x87);
      // Only these two trees are the broker's: a look-alike is an ordinary topic.
      c.send(RawMqttClient.publish5("$SYSTEM/x", 1, false, false, 4, bytes(1)));
      assertThat(c.readType(RawMqttClient.PUBACK).bytes()).containsExactly(0x40, 0x02, 0x00, 0x04);

      // In-process publishers are not restricted; what the client sent earlier would be ahead.
      f.broker().publish(Message.of("$SYS/marker", bytes(1), Qos.AT_LEAST_ONCE, false)).join();
      f.broker().publish(Message.of("$events/marker", bytes(1), Qos.AT_LEAST_ONCE, false)).join();
      assertThat(sys.next(WAIT).message().topic()).isEqualTo("$SYS/marker");
      assertThat(events.next(WAIT).message().topic()).isEqualTo("$events/marker");
      assertThat(f.broker().retained().get("$SYS")).isEmpty();
    }
  }

  @Test
  void mqtt311ClientsAreAcknowledgedButNothingIsDelivered() throws Exception {
    try (BrokerFixture f = BrokerFixture.start(quiet());
        RawMqttClient c = f.raw()) {
      RecordingSubscriber sys = watch(f, "$SYS/#");
      c.send(RawMqttClient.connect311("forger311", true, 30));
      c.read();
      c.send(RawMqttClient.publish311("$SYS/broker/uptime", 1, false, false, 7, bytes(1)));
      // 3.1.1 has no negative acknowledgement: a plain PUBACK, and the connection stays.
      assertThat(c.readType(RawMqttClient.PUBACK).bytes()).containsExactly(0x40, 0x02, 0x00, 0x07);
      c.send(RawMqttClient.publish311("$SYS/x", 2, false, false, 8, bytes(1)));
      assertThat(c.readType(RawMqttClient.PUBREC).bytes()).containsExactly(0x50, 0x02, 0x00, 0x08);
      c.send(RawMqttClient.pubAck(RawMqttClient.PUBREL, 8));
      assertThat(c.readType(RawMqttClient.PUBCOMP).bytes()).containsExactly(0x70, 0x02, 0x00, 0x08);
      f.broker().publish(Message.of("$SYS/marker", bytes(1), Qos.AT_LEAST_ONCE, false)).join();
      assertThat(sys.next(WAIT).message().topic()).isEqualTo("$SYS/marker");
    }
  }

  @Test
  void aWillOnTheBrokersTopicsIsRefused() throws Exception {
    try (BrokerFixture f = BrokerFixture.start(quiet())) {
      try (RawMqttClient c = f.raw()) {
        c.send(WillConnects.v5("will5", null, "$events/clients/other/disconnected", 0));
        assertThat(c.read().bytes()).containsExactly(0x20, 0x03, 0x00, 0x87, 0x00);
        assertThat(c.closedWithin(WAIT)).isTrue();
      }
      try (RawMqttClient c = f.raw()) {
        c.send(WillConnects.v311("will311", null, "$SYS/broker/x", 1));
        assertThat(c.read().bytes()).containsExactly(0x20, 0x02, 0x00, 0x05);
        assertThat(c.closedWithin(WAIT)).isTrue();
      }
      try (RawMqttClient c = f.raw()) {
        c.send(WillConnects.v311("will-ok", null, "status/will-ok", 1));
        assertThat(c.read().bytes()).containsExactly(0x20, 0x02, 0x00, 0x00);
      }
    }
  }

  @Test
  void refusedPublishesAndSubscriptionsAreCountedOnSys() throws Exception {
    Authorizer noSecrets =
        new Authorizer() {
          @Override
          public boolean mayPublish(ClientIdentity client, String topic) {
            return !topic.startsWith("secret/");
          }

          @Override
          public boolean maySubscribe(ClientIdentity client, String filter) {
            return !filter.startsWith("secret/");
          }
        };
    try (BrokerFixture f =
            BrokerFixture.start(
                BrokerConfig.builder()
                    .authorizer(noSecrets)
                    .sysInterval(Duration.ofMillis(100))
                    .lifecycleEvents(false));
        RawMqttClient c5 = f.raw();
        RawMqttClient c3 = f.raw()) {
      Map<String, String> latest = new ConcurrentHashMap<>();
      f.broker()
          .subscribe(
              new SubscriptionRequest("sys", "$SYS/broker/#", Qos.AT_MOST_ONCE, 10, Duration.ZERO),
              d -> {
                latest.put(d.message().topic(), RecordingSubscriber.text(d));
                d.ack();
              });
      c5.send(RawMqttClient.connect5("counted5", true, 30));
      c5.read();
      c5.send(RawMqttClient.publish5("secret/a", 0, false, false, 0, bytes(1)));
      c5.send(RawMqttClient.publish5("secret/b", 1, false, false, 1, bytes(1)));
      c5.send(RawMqttClient.publish5("$SYS/broker/x", 1, false, false, 2, bytes(1)));
      c5.send(RawMqttClient.publish5("public/a", 1, false, false, 3, bytes(1)));
      c5.send(RawMqttClient.subscribe5(4, "secret/#", 1));
      assertThat(c5.readType(RawMqttClient.SUBACK).body()[3] & 0xFF).isEqualTo(0x87);
      c3.send(RawMqttClient.connect311("counted311", true, 30));
      c3.read();
      c3.send(RawMqttClient.publish311("secret/c", 1, false, false, 1, bytes(1)));
      c3.send(RawMqttClient.subscribe311(2, "secret/+", 1));
      assertThat(c3.readType(RawMqttClient.SUBACK).bytes())
          .containsExactly(0x90, 0x03, 0x00, 0x02, 0x80);

      Awaitility.await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                assertThat(latest)
                    .containsEntry("$SYS/broker/publish/messages/dropped/not-authorized", "4")
                    .containsEntry("$SYS/broker/subscriptions/not-authorized", "2");
                assertThat(latest.get("$SYS/broker/publish/messages/dropped")).isEqualTo("4");
              });
    }
  }
}
