package dev.mqttsidecar.broker.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRecReasonCode;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.Quotas;
import dev.mqttsidecar.broker.retained.RetainedQuota;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.ErrorLogCapture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.MutableClock;
import dev.mqttsidecar.broker.testing.SysValues;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The retained quotas (maxRetainedMessages, maxRetainedBytes) as MQTT clients meet them: an MQTT 5
 * QoS 1/2 publisher is told with 0x97 and its message goes nowhere; publishers that cannot be told
 * still reach the subscribers online; shrinking is always allowed.
 */
@ExtendWith(LeakCheck.class)
class RetainedQuotaIT {

  private static BrokerConfig.Builder withQuotas(Quotas quotas) {
    return BrokerConfig.builder().quotas(quotas).sysInterval(Duration.ofMillis(100));
  }

  private static void retain(Mqtt5BlockingClient c, String topic, String payload, MqttQos qos) {
    c.publishWith().topic(topic).qos(qos).retain(true).payload(payload.getBytes(UTF_8)).send();
  }

  private static String text(Mqtt5Publish p) {
    return new String(p.getPayloadAsBytes(), UTF_8);
  }

  @Test
  void aNewRetainedTopicOverTheCountIsRefusedWith0x97AndGoesNowhere() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(withQuotas(Quotas.DEFAULTS.withMaxRetainedMessages(2)))) {
      Mqtt5BlockingClient pub = f.connect5("pub");
      Mqtt5BlockingClient sub = f.connect5("sub");
      try (var in = sub.publishes(MqttGlobalPublishFilter.ALL);
          SysValues sys = SysValues.of(f)) {
        sub.subscribeWith().topicFilter("r/#").qos(MqttQos.EXACTLY_ONCE).send();
        retain(pub, "r/a", "a", MqttQos.AT_LEAST_ONCE);
        retain(pub, "r/b", "b", MqttQos.AT_LEAST_ONCE);
        assertThat(text(in.receive(5, TimeUnit.SECONDS).orElseThrow())).isEqualTo("a");
        assertThat(text(in.receive(5, TimeUnit.SECONDS).orElseThrow())).isEqualTo("b");

        Mqtt5PubAckException puback =
            catchThrowableOfType(
                () -> retain(pub, "r/c", "c", MqttQos.AT_LEAST_ONCE), Mqtt5PubAckException.class);
        assertThat(puback.getMqttMessage().getReasonCode())
            .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        Mqtt5PubRecException pubrec =
            catchThrowableOfType(
                () -> retain(pub, "r/c", "c", MqttQos.EXACTLY_ONCE), Mqtt5PubRecException.class);
        assertThat(pubrec.getMqttMessage().getReasonCode())
            .isEqualTo(Mqtt5PubRecReasonCode.QUOTA_EXCEEDED);
        // Neither was delivered: the next message on the topic is the one that follows them.
        pub.publishWith().topic("r/c").qos(MqttQos.AT_LEAST_ONCE).payload("live".getBytes()).send();
        assertThat(text(in.receive(5, TimeUnit.SECONDS).orElseThrow())).isEqualTo("live");
        assertThat(f.broker().retained().topics("r/")).containsExactly("r/a", "r/b");
        sys.await("retained messages/refused", "2");
        sys.await("retained messages/count", "2");
        sys.await("retained messages/bytes", "8"); // "r/a" + "a", "r/b" + "b"
      }
    }
  }

  @Test
  void replacingBySmallerAndDeletingAreAlwaysAllowed() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(
            withQuotas(Quotas.DEFAULTS.withMaxRetainedMessages(2).withMaxRetainedBytes(40)))) {
      Mqtt5BlockingClient pub = f.connect5("pub");
      retain(pub, "t/1", "x".repeat(17), MqttQos.AT_LEAST_ONCE); // 3 + 17 = 20 bytes
      retain(pub, "t/2", "y".repeat(15), MqttQos.AT_LEAST_ONCE); // 18: 38 bytes in all
      assertThat(f.broker().retained().topics("t/")).hasSize(2);
      // Growing one past the bytes, or adding one past the count, is refused...
      for (String topic : new String[] {"t/1", "t/3"}) {
        Mqtt5PubAckException e =
            catchThrowableOfType(
                () -> retain(pub, topic, "z".repeat(20), MqttQos.AT_LEAST_ONCE),
                Mqtt5PubAckException.class);
        assertThat(e.getMqttMessage().getReasonCode())
            .isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
      }
      // ...replacing by something no larger and deleting are not.
      retain(pub, "t/1", "small", MqttQos.AT_LEAST_ONCE);
      pub.publishWith().topic("t/2").qos(MqttQos.AT_LEAST_ONCE).retain(true).send(); // delete
      retain(pub, "t/3", "z".repeat(20), MqttQos.AT_LEAST_ONCE);
      assertThat(f.broker().retained().topics("t/")).containsExactly("t/1", "t/3");
      assertThat(f.broker().retained().get("t/1").orElseThrow().message().payload())
          .isEqualTo("small".getBytes(UTF_8));
    }
  }

  @Test
  void publishersThatCannotBeToldStillReachTheSubscribersOnline() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(withQuotas(Quotas.DEFAULTS.withMaxRetainedMessages(1)))) {
      Mqtt5BlockingClient pub = f.connect5("pub");
      retain(pub, "full", "kept", MqttQos.AT_LEAST_ONCE);
      Mqtt5BlockingClient sub = f.connect5("sub");
      Mqtt3BlockingClient pub311 = f.connect3("pub311");
      try (var in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
        sub.subscribeWith().topicFilter("live/#").qos(MqttQos.AT_LEAST_ONCE).send();
        retain(pub, "live/qos0", "5.0 QoS 0", MqttQos.AT_MOST_ONCE);
        // A 3.1.1 PUBACK has no reason code: the client gets a normal one, as if it were kept.
        pub311
            .publishWith()
            .topic("live/311")
            .qos(MqttQos.AT_LEAST_ONCE)
            .retain(true)
            .payload("3.1.1 QoS 1".getBytes(UTF_8))
            .send();
        assertThat(text(in.receive(5, TimeUnit.SECONDS).orElseThrow())).isEqualTo("5.0 QoS 0");
        assertThat(text(in.receive(5, TimeUnit.SECONDS).orElseThrow())).isEqualTo("3.1.1 QoS 1");
      }
      assertThat(f.broker().retained().topics("")).containsExactly("full");
      assertThat(f.services().retained().quota().refused()).isEqualTo(2);
    }
  }

  @Test
  void theBrokerApiIsRefusedAsAWholeAndExpiredMessagesMakeRoomAtOnce() throws Exception {
    MutableClock clock = new MutableClock();
    try (BrokerFixture f =
        BrokerFixture.start(withQuotas(Quotas.DEFAULTS.withMaxRetainedMessages(1)).clock(clock))) {
      f.broker()
          .publish(
              new Message(
                  "short-lived",
                  "x".getBytes(UTF_8),
                  Qos.AT_LEAST_ONCE,
                  true,
                  MessageProperties.NONE,
                  clock.instant().plusSeconds(10)))
          .join();
      Mqtt5BlockingClient sub = f.connect5("sub");
      try (var in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
        sub.subscribeWith().topicFilter("api").qos(MqttQos.AT_LEAST_ONCE).send();
        PublishResult refused =
            f.broker().publish(Message.of("api", "a".getBytes(), Qos.AT_LEAST_ONCE, true)).join();
        assertThat(refused.status()).isEqualTo(PublishResult.Status.QUOTA_EXCEEDED);
        assertThat(refused.reason()).contains("maxRetainedMessages (1)");

        // Once expired, the message no longer holds its place, sweeper or not.
        clock.advance(Duration.ofSeconds(11));
        PublishResult accepted =
            f.broker().publish(Message.of("api", "b".getBytes(), Qos.AT_LEAST_ONCE, true)).join();
        assertThat(accepted.status()).isEqualTo(PublishResult.Status.ACCEPTED);
        assertThat(text(in.receive(5, TimeUnit.SECONDS).orElseThrow())).isEqualTo("b");
      }
      assertThat(f.broker().retained().topics("")).containsExactly("api");
    }
  }

  @Test
  void refusalsInALoopAreLoggedOnce() throws Exception {
    try (BrokerFixture f =
            BrokerFixture.start(withQuotas(Quotas.DEFAULTS.withMaxRetainedMessages(1)));
        ErrorLogCapture log = ErrorLogCapture.warningsOf(RetainedQuota.class)) {
      Mqtt5BlockingClient pub = f.connect5("looping");
      retain(pub, "first", "1", MqttQos.AT_LEAST_ONCE);
      for (int i = 0; i < 50; i++) {
        String topic = "more/" + i;
        catchThrowableOfType(
            () -> retain(pub, topic, "x", MqttQos.AT_LEAST_ONCE), Mqtt5PubAckException.class);
      }
      assertThat(f.services().retained().quota().refused()).isEqualTo(50);
      assertThat(log.errors())
          .singleElement()
          .asString()
          .contains("'more/0'", "maxRetainedMessages (1) reached");
    }
  }
}
