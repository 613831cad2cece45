package dev.mqttsidecar.security;

import static dev.mqttsidecar.broker.testing.RawMqttClient.SUBACK;
import static dev.mqttsidecar.security.DeviceRulesFixture.connect5;
import static dev.mqttsidecar.security.DeviceRulesFixture.publish;
import static dev.mqttsidecar.security.DeviceRulesFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Subscriptions through the real broker under {@link DeviceRulesFixture#RULES}: each test tries a
 * way to read more than the device's own topics.
 */
@ExtendWith(LeakCheck.class)
class SubscribeAuthorizationIT {
  private static final Mqtt5SubAckReasonCode DENIED = Mqtt5SubAckReasonCode.NOT_AUTHORIZED;
  private static final Mqtt5SubAckReasonCode GRANTED = Mqtt5SubAckReasonCode.GRANTED_QOS_1;

  private static Mqtt5Subscribe filters(String... filters) {
    var b =
        Mqtt5Subscribe.builder()
            .addSubscription()
            .topicFilter(filters[0])
            .qos(MqttQos.AT_LEAST_ONCE)
            .applySubscription();
    for (int i = 1; i < filters.length; i++) {
      b =
          b.addSubscription()
              .topicFilter(filters[i])
              .qos(MqttQos.AT_LEAST_ONCE)
              .applySubscription();
    }
    return b.build();
  }

  private static String nextTopic(Mqtt5BlockingClient.Mqtt5Publishes in) throws Exception {
    return in.receive(5, TimeUnit.SECONDS).orElseThrow().getTopic().toString();
  }

  @Test
  void filtersWiderThanTheGrantAreRefused() throws Exception {
    try (BrokerFixture f = DeviceRulesFixture.start()) {
      Mqtt5BlockingClient a = connect5(f, "a", null);
      try (var in = a.publishes(MqttGlobalPublishFilter.ALL)) {
        List<Mqtt5SubAckReasonCode> codes =
            subscribe(
                    a,
                    filters(
                        "#",
                        "+/a/#",
                        "devices/+/temp",
                        "devices/#",
                        "+/#",
                        "devices/a/#",
                        "commands/a/+/reset"))
                .getReasonCodes();
        assertThat(codes).containsExactly(DENIED, DENIED, DENIED, DENIED, DENIED, GRANTED, GRANTED);

        // Refused means refused: another device's message never arrives, its own does.
        publish(f, "devices/b/temp", false);
        publish(f, "devices/a/temp", false);
        assertThat(nextTopic(in)).isEqualTo("devices/a/temp");
      }
      try (RawMqttClient c = f.raw()) {
        c.send(RawMqttClient.connect311("b", true, 30));
        c.read();
        c.send(RawMqttClient.subscribe311(1, "devices/+/temp", 1));
        assertThat(c.readType(SUBACK).bytes()).containsExactly(0x90, 0x03, 0, 1, 0x80);
        c.send(RawMqttClient.subscribe311(2, "devices/b/+", 1));
        assertThat(c.readType(SUBACK).bytes()).containsExactly(0x90, 0x03, 0, 2, 0x01);
      }
    }
  }

  @Test
  void sharedSubscriptionsAreJudgedByTheirFilter() throws Exception {
    try (BrokerFixture f = DeviceRulesFixture.start()) {
      Mqtt5BlockingClient a = connect5(f, "a", null);
      assertThat(
              subscribe(
                      a,
                      filters(
                          "$share/g/#",
                          "$share/g/devices/b/#",
                          "$share/g/+/a/#",
                          "$share/g/devices/a/#",
                          "$share/workers/jobs/+",
                          "$share/thieves/jobs/#",
                          "jobs/#"))
                  .getReasonCodes())
          .containsExactly(DENIED, DENIED, DENIED, GRANTED, GRANTED, DENIED, DENIED);
      try (var in = a.publishes(MqttGlobalPublishFilter.ALL)) {
        publish(f, "devices/b/x", false);
        publish(f, "devices/a/x", false);
        assertThat(nextTopic(in)).isEqualTo("devices/a/x");
        publish(f, "jobs/1", false);
        assertThat(nextTopic(in)).isEqualTo("jobs/1");
      }
    }
  }

  @Test
  void retainedMessagesOutsideTheGrantAreNotSentOnSubscribe() throws Exception {
    try (BrokerFixture f = DeviceRulesFixture.start()) {
      publish(f, "devices/b/config", true);
      publish(f, "devices/a/config", true);
      Mqtt5BlockingClient a = connect5(f, "a", null);
      try (var in = a.publishes(MqttGlobalPublishFilter.ALL)) {
        assertThat(subscribe(a, filters("devices/+/config")).getReasonCodes())
            .containsExactly(DENIED);
        assertThat(subscribe(a, filters("devices/a/#")).getReasonCodes()).containsExactly(GRANTED);
        assertThat(nextTopic(in)).isEqualTo("devices/a/config");
        publish(f, "devices/a/marker", false);
        // Had the refused filter sent devices/b/config, it would have come before the marker.
        assertThat(nextTopic(in)).isEqualTo("devices/a/marker");
      }
    }
  }

  @Test
  void aClientIdCannotWidenItsOwnGrant() throws Exception {
    try (BrokerFixture f = DeviceRulesFixture.start()) {
      for (String id : List.of("#", "+", "devices/b", "a/#")) {
        try (RawMqttClient c = f.raw()) {
          c.send(RawMqttClient.connect5(id, true, 30));
          c.read();
          c.send(RawMqttClient.subscribe5(1, "#", 1));
          assertThat(c.readType(SUBACK).body()[3] & 0xFF).as("id %s, #", id).isEqualTo(0x87);
          c.send(RawMqttClient.subscribe5(2, "devices/b/#", 1));
          assertThat(c.readType(SUBACK).body()[3] & 0xFF).as("id %s", id).isEqualTo(0x87);
          c.send(RawMqttClient.subscribe5(3, "commands/+/x", 1));
          assertThat(c.readType(SUBACK).body()[3] & 0xFF).as("id %s", id).isEqualTo(0x87);
          c.send(RawMqttClient.publish5("devices/b/x", 1, false, false, 4, new byte[] {1}));
          assertThat(c.readType(RawMqttClient.PUBACK).body()[2] & 0xFF)
              .as("id %s, publish", id)
              .isEqualTo(0x87);
        }
      }
    }
  }
}
