package dev.mqttsidecar.broker.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.unsuback.Mqtt5UnsubAckReasonCode;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RecordingSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PUBLISH/SUBSCRIBE through real MQTT 3.1.1 and 5.0 clients. */
@ExtendWith(LeakCheck.class)
class PublishSubscribeIT {
  private BrokerFixture fixture;

  @BeforeEach
  void start() throws Exception {
    fixture = BrokerFixture.start();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes publishes)
      throws InterruptedException {
    Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
    assertThat(p).as("a message within 5 s").isPresent();
    return p.get();
  }

  private static Mqtt3Publish receive(Mqtt3BlockingClient.Mqtt3Publishes publishes)
      throws InterruptedException {
    Optional<Mqtt3Publish> p = publishes.receive(5, TimeUnit.SECONDS);
    assertThat(p).as("a message within 5 s").isPresent();
    return p.get();
  }

  @ParameterizedTest
  @EnumSource(MqttQos.class)
  void mqtt5QosEndToEnd(MqttQos qos) throws Exception {
    Mqtt5BlockingClient sub = fixture.connect5("sub");
    Mqtt5BlockingClient pub = fixture.connect5("pub");
    try (Mqtt5BlockingClient.Mqtt5Publishes in =
        sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      Mqtt5SubAck ack = sub.subscribeWith().topicFilter("a/b").qos(MqttQos.EXACTLY_ONCE).send();
      assertThat(ack.getReasonCodes()).hasSize(1);
      assertThat(ack.getReasonCodes().get(0).getCode()).isEqualTo(2);
      Mqtt5PublishResult r =
          pub.publishWith().topic("a/b").qos(qos).payload("hi".getBytes(UTF_8)).send();
      assertThat(r.getError()).isEmpty();
      Mqtt5Publish got = receive(in);
      assertThat(new String(got.getPayloadAsBytes(), UTF_8)).isEqualTo("hi");
      assertThat(got.getQos()).isEqualTo(qos);
      assertThat(got.isRetain()).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(MqttQos.class)
  void mqtt311QosEndToEnd(MqttQos qos) throws Exception {
    Mqtt3BlockingClient sub = fixture.connect3("sub3");
    Mqtt3BlockingClient pub = fixture.connect3("pub3");
    try (Mqtt3BlockingClient.Mqtt3Publishes in =
        sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      Mqtt3SubAck ack = sub.subscribeWith().topicFilter("x/#").qos(MqttQos.EXACTLY_ONCE).send();
      assertThat(ack.getReturnCodes()).containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_2);
      pub.publishWith().topic("x/y/z").qos(qos).payload("v3".getBytes(UTF_8)).send();
      Mqtt3Publish got = receive(in);
      assertThat(got.getTopic().toString()).isEqualTo("x/y/z");
      assertThat(got.getQos()).isEqualTo(qos);
    }
  }

  @Test
  void deliveredQosIsTheMinimumOfPublishAndSubscription() throws Exception {
    Mqtt5BlockingClient sub = fixture.connect5("sub");
    try (var in = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("q").qos(MqttQos.AT_LEAST_ONCE).send();
      fixture.connect5("pub").publishWith().topic("q").qos(MqttQos.EXACTLY_ONCE).send();
      assertThat(receive(in).getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE); // [MQTT-3.8.4-8]
    }
  }

  @Test
  void wildcardsAndDollarTopics() throws Exception {
    Mqtt5BlockingClient sub = fixture.connect5("sub");
    try (var in = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("#").qos(MqttQos.AT_LEAST_ONCE).send();
      sub.subscribeWith().topicFilter("+/status").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = fixture.connect5("pub");
      pub.publishWith().topic("$app/status").qos(MqttQos.AT_LEAST_ONCE).send(); // [MQTT-4.7.2-1]
      pub.publishWith()
          .topic("dev/status")
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload("1".getBytes(UTF_8))
          .send();
      Mqtt5Publish got = receive(in);
      assertThat(got.getTopic().toString()).isEqualTo("dev/status");
      // Overlapping subscriptions: delivered once [MQTT-3.3.4-2].
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
    assertThat(
            fixture
                .broker()
                .publish(Message.of("$SYS/x", new byte[0], Qos.AT_MOST_ONCE, false))
                .get()
                .matchedSubscribers())
        .isZero();
  }

  @Test
  void plusMatchesOneLevelAndHashMatchesParent() throws Exception {
    Mqtt5BlockingClient sub = fixture.connect5("sub");
    try (var in = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("sport/+").qos(MqttQos.AT_LEAST_ONCE).send();
      sub.subscribeWith().topicFilter("news/#").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = fixture.connect5("pub");
      for (String t : List.of("sport", "sport/tennis/p1", "sport/tennis", "news", "news/a/b")) {
        pub.publishWith().topic(t).qos(MqttQos.AT_LEAST_ONCE).send();
      }
      List<String> got = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        got.add(receive(in).getTopic().toString());
      }
      assertThat(got)
          .containsExactly("sport/tennis", "news", "news/a/b"); // [MQTT-4.7.1-2], [MQTT-4.7.1-3]
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
  }

  @Test
  void invalidFiltersGetPerFilterFailureCodes() throws Exception {
    try (BrokerFixture limited =
        BrokerFixture.start(dev.mqttsidecar.broker.BrokerConfig.builder().maxTopicLevels(3))) {
      Mqtt5BlockingClient c5 = limited.connect5("c5");
      Mqtt5SubAck ack;
      try {
        ack =
            c5.subscribeWith()
                .addSubscription()
                .topicFilter("ok/+")
                .qos(MqttQos.AT_LEAST_ONCE)
                .applySubscription()
                .addSubscription()
                .topicFilter("a/b/c/d")
                .applySubscription()
                .send();
      } catch (com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException e) {
        ack = e.getMqttMessage();
      }
      assertThat(ack.getReasonCodes())
          .containsExactly(
              Mqtt5SubAckReasonCode.GRANTED_QOS_1, Mqtt5SubAckReasonCode.TOPIC_FILTER_INVALID);
      Mqtt3BlockingClient c3 = limited.connect3("c3");
      Mqtt3SubAck ack3;
      try {
        ack3 =
            c3.subscribeWith()
                .addSubscription()
                .topicFilter("a/b/c/d")
                .applySubscription()
                .addSubscription()
                .topicFilter("ok")
                .qos(MqttQos.EXACTLY_ONCE)
                .applySubscription()
                .send();
      } catch (com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException e) {
        ack3 = e.getMqttMessage();
      }
      assertThat(ack3.getReturnCodes())
          .containsExactly(
              Mqtt3SubAckReturnCode.FAILURE, Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_2);
    }
  }

  @Test
  void unsubscribeStopsDeliveryAndReportsMissingSubscriptions() throws Exception {
    Mqtt5BlockingClient sub = fixture.connect5("sub");
    try (var in = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("u").qos(MqttQos.AT_LEAST_ONCE).send();
      var unsub = sub.unsubscribeWith().addTopicFilter("u").addTopicFilter("never").send();
      assertThat(unsub.getReasonCodes())
          .containsExactly(
              Mqtt5UnsubAckReasonCode.SUCCESS, Mqtt5UnsubAckReasonCode.NO_SUBSCRIPTIONS_EXISTED);
      fixture.connect5("pub").publishWith().topic("u").qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
  }

  @Test
  void mqtt5PropertiesAreForwardedAndExpiryCountsDown() throws Exception {
    Mqtt5BlockingClient sub = fixture.connect5("sub");
    try (var in = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("p").qos(MqttQos.AT_LEAST_ONCE).send();
      fixture
          .connect5("pub")
          .publishWith()
          .topic("p")
          .qos(MqttQos.AT_LEAST_ONCE)
          .contentType("application/json")
          .responseTopic("reply/to")
          .correlationData("cid".getBytes(UTF_8))
          .payloadFormatIndicator(
              com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator.UTF_8)
          .userProperties()
          .add("k", "v")
          .add("k", "v2")
          .applyUserProperties()
          .messageExpiryInterval(100)
          .payload("{}".getBytes(UTF_8))
          .send();
      Mqtt5Publish got = receive(in);
      assertThat(got.getContentType())
          .hasValueSatisfying(c -> assertThat(c.toString()).isEqualTo("application/json"));
      assertThat(got.getResponseTopic())
          .hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo("reply/to"));
      assertThat(got.getCorrelationData()).isPresent();
      assertThat(got.getUserProperties().asList()).hasSize(2);
      assertThat(got.getUserProperties().asList().get(1).getValue().toString()).isEqualTo("v2");
      assertThat(got.getMessageExpiryInterval()).isPresent();
      assertThat(got.getMessageExpiryInterval().getAsLong()).isBetween(1L, 100L);
    }
  }

  @Test
  void mqttPublishReachesInProcessSubscriberAndBack() throws Exception {
    RecordingSubscriber rec = RecordingSubscriber.autoAck();
    fixture
        .broker()
        .subscribe(
            new SubscriptionRequest("dapr", "in/#", Qos.EXACTLY_ONCE, 10, Duration.ZERO), rec);
    Mqtt5BlockingClient c = fixture.connect5("dev");
    c.publishWith().topic("in/1").qos(MqttQos.EXACTLY_ONCE).payload("x".getBytes(UTF_8)).send();
    assertThat(RecordingSubscriber.text(rec.next())).isEqualTo("x");

    try (var in = c.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      c.subscribeWith().topicFilter("out").qos(MqttQos.AT_LEAST_ONCE).send();
      var result =
          fixture
              .broker()
              .publish(Message.of("out", "y".getBytes(UTF_8), Qos.AT_LEAST_ONCE, false))
              .get();
      assertThat(result.matchedSubscribers()).isEqualTo(1);
      assertThat(new String(receive(in).getPayloadAsBytes(), UTF_8)).isEqualTo("y");
    }
  }

  @Test
  void orderIsPreservedPerTopicAtQos1() throws Exception {
    Mqtt5BlockingClient sub = fixture.connect5("sub");
    try (var in = sub.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("o").qos(MqttQos.AT_LEAST_ONCE).send();
      var pub = fixture.mqtt5("pub").buildAsync();
      pub.connect().get(5, TimeUnit.SECONDS);
      List<java.util.concurrent.CompletableFuture<?>> sent = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        sent.add(
            pub.publishWith()
                .topic("o")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(("" + i).getBytes(UTF_8))
                .send());
      }
      for (int i = 0; i < 300; i++) {
        assertThat(new String(receive(in).getPayloadAsBytes(), UTF_8)).isEqualTo("" + i);
      }
      java.util.concurrent.CompletableFuture.allOf(
              sent.toArray(java.util.concurrent.CompletableFuture[]::new))
          .get(5, TimeUnit.SECONDS);
      pub.disconnect().get(5, TimeUnit.SECONDS);
    }
  }
}
