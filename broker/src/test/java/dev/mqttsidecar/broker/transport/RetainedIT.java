package dev.mqttsidecar.broker.transport;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Retained messages over MQTT: store, replace, clear, deliver on subscribe, 5.0 options. */
@ExtendWith(LeakCheck.class)
class RetainedIT {
  private BrokerFixture fixture;
  private Mqtt5BlockingClient pub;

  @BeforeEach
  void start() throws Exception {
    fixture = BrokerFixture.start();
    pub = fixture.connect5("pub");
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private void retain(String topic, String payload, MqttQos qos) {
    pub.publishWith().topic(topic).qos(qos).retain(true).payload(payload.getBytes(UTF_8)).send();
  }

  private static String text(Mqtt5Publish p) {
    return new String(p.getPayloadAsBytes(), UTF_8);
  }

  @Test
  void retainedIsStoredReplacedAndDeliveredOnSubscribe() throws Exception {
    retain("r/a", "first", MqttQos.AT_LEAST_ONCE);
    retain("r/a", "second", MqttQos.AT_LEAST_ONCE); // [MQTT-3.3.1-5] replaces
    retain("r/b", "b", MqttQos.AT_MOST_ONCE);
    Mqtt5BlockingClient sub = fixture.connect5("sub");
    try (var in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("r/a").qos(MqttQos.EXACTLY_ONCE).send();
      Mqtt5Publish p = in.receive(5, TimeUnit.SECONDS).orElseThrow();
      assertThat(text(p)).isEqualTo("second");
      assertThat(p.isRetain()).isTrue(); // [MQTT-3.3.1-8]
      assertThat(p.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      assertThat(in.receive(200, TimeUnit.MILLISECONDS)).isEmpty();
    }
  }

  @Test
  void emptyPayloadClearsTheRetainedMessage() throws Exception {
    retain("c", "value", MqttQos.AT_LEAST_ONCE);
    retain("c", "", MqttQos.AT_LEAST_ONCE); // [MQTT-3.3.1-10], [MQTT-3.3.1-11]
    Mqtt5BlockingClient sub = fixture.connect5("sub");
    try (var in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("c").qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
    assertThat(fixture.broker().retained().get("c")).isEmpty();
  }

  @Test
  void liveMessagesHaveRetainClearedUnlessRetainAsPublished() throws Exception {
    Mqtt5BlockingClient plain = fixture.connect5("plain");
    Mqtt5BlockingClient rap = fixture.connect5("rap");
    try (var inPlain = plain.publishes(MqttGlobalPublishFilter.ALL);
        var inRap = rap.publishes(MqttGlobalPublishFilter.ALL)) {
      plain.subscribeWith().topicFilter("live").qos(MqttQos.AT_LEAST_ONCE).send();
      rap.subscribeWith()
          .topicFilter("live")
          .qos(MqttQos.AT_LEAST_ONCE)
          .retainAsPublished(true)
          .send();
      retain("live", "v", MqttQos.AT_LEAST_ONCE);
      assertThat(inPlain.receive(5, TimeUnit.SECONDS).orElseThrow().isRetain())
          .isFalse(); // [MQTT-3.3.1-12]
      assertThat(inRap.receive(5, TimeUnit.SECONDS).orElseThrow().isRetain())
          .isTrue(); // [MQTT-3.3.1-13]
    }
  }

  @Test
  void mqtt311LiveMessagesHaveRetainCleared() throws Exception {
    Mqtt3BlockingClient sub = fixture.connect3("sub3");
    try (var in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("l3").qos(MqttQos.AT_LEAST_ONCE).send();
      retain("l3", "v", MqttQos.AT_LEAST_ONCE);
      assertThat(in.receive(5, TimeUnit.SECONDS).orElseThrow().isRetain())
          .isFalse(); // [MQTT-3.3.1-9]
    }
    Mqtt3BlockingClient late = fixture.connect3("late3");
    try (var in = late.publishes(MqttGlobalPublishFilter.ALL)) {
      late.subscribeWith().topicFilter("l3").qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(in.receive(5, TimeUnit.SECONDS).orElseThrow().isRetain())
          .isTrue(); // [MQTT-3.3.1-8]
    }
  }

  @Test
  void retainHandlingOptions() throws Exception {
    retain("h", "v", MqttQos.AT_LEAST_ONCE);
    Mqtt5BlockingClient sub = fixture.connect5("sub");
    try (var in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      // 0: always sent [MQTT-3.3.1-9]
      sub.subscribeWith()
          .topicFilter("h")
          .qos(MqttQos.AT_LEAST_ONCE)
          .retainHandling(Mqtt5RetainHandling.SEND)
          .send();
      assertThat(in.receive(5, TimeUnit.SECONDS)).isPresent();
      sub.subscribeWith()
          .topicFilter("h")
          .qos(MqttQos.AT_LEAST_ONCE)
          .retainHandling(Mqtt5RetainHandling.SEND)
          .send();
      assertThat(in.receive(5, TimeUnit.SECONDS)).isPresent();
      // 1: only for a new subscription [MQTT-3.3.1-10]
      sub.subscribeWith()
          .topicFilter("h")
          .qos(MqttQos.AT_LEAST_ONCE)
          .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST)
          .send();
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
      sub.subscribeWith()
          .topicFilter("+")
          .qos(MqttQos.AT_LEAST_ONCE)
          .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST)
          .send();
      assertThat(in.receive(5, TimeUnit.SECONDS)).isPresent();
      // 2: never [MQTT-3.3.1-11]
      sub.subscribeWith()
          .topicFilter("#")
          .qos(MqttQos.AT_LEAST_ONCE)
          .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND)
          .send();
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
    }
  }

  @Test
  void retainedMessagesMatchWildcards() throws Exception {
    retain("w/1/x", "1", MqttQos.AT_LEAST_ONCE);
    retain("w/2/x", "2", MqttQos.AT_LEAST_ONCE);
    retain("w/2/y", "3", MqttQos.AT_LEAST_ONCE);
    retain("$w/1/x", "dollar", MqttQos.AT_LEAST_ONCE);
    Mqtt5BlockingClient sub = fixture.connect5("sub");
    try (var in = sub.publishes(MqttGlobalPublishFilter.ALL)) {
      sub.subscribeWith().topicFilter("+/+/x").qos(MqttQos.AT_LEAST_ONCE).send();
      java.util.Set<String> got = new java.util.HashSet<>();
      for (int i = 0; i < 2; i++) {
        Optional<Mqtt5Publish> p = in.receive(5, TimeUnit.SECONDS);
        got.add(text(p.orElseThrow()));
      }
      assertThat(got).containsExactlyInAnyOrder("1", "2");
      assertThat(in.receive(300, TimeUnit.MILLISECONDS)).isEmpty(); // not $w [MQTT-4.7.2-1]
    }
  }
}
