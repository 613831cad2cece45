package dev.mqttsidecar.broker.sys;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Broker statistics on $SYS/broker/..., published every configured interval. */
@ExtendWith(LeakCheck.class)
class SysTopicsIT {
  private static final List<String> TOPICS =
      List.of(
          "uptime",
          "version",
          "clients/connected",
          "clients/total",
          "clients/maximum",
          "clients/refused",
          "messages/received",
          "messages/sent",
          "bytes/received",
          "bytes/sent",
          "publish/messages/dropped",
          "publish/messages/dropped/not-authorized",
          "publish/messages/dropped/invalid-topic",
          "retained messages/count",
          "retained messages/bytes",
          "retained messages/refused",
          "persistent sessions/count",
          "persistent sessions/refused",
          "subscriptions/count",
          "subscriptions/not-authorized",
          "subscriptions/quota-exceeded",
          "subscriptions/invalid",
          "heap/current",
          "wills/pending",
          "wills/refused");

  /** Reads $SYS publications until every topic was seen after {@code marker} was. */
  private static Map<String, String> collect(Mqtt5BlockingClient.Mqtt5Publishes in)
      throws Exception {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < 200 && values.size() < TOPICS.size(); i++) {
      Optional<Mqtt5Publish> p = in.receive(3, TimeUnit.SECONDS);
      assertThat(p).isPresent();
      String topic = p.get().getTopic().toString().substring("$SYS/broker/".length());
      values.put(topic, new String(p.get().getPayloadAsBytes(), UTF_8));
    }
    return values;
  }

  @Test
  void statisticsArePublishedEveryInterval() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(BrokerConfig.builder().sysInterval(Duration.ofMillis(200)))) {
      f.broker().publish(Message.of("keep", new byte[] {1}, Qos.AT_MOST_ONCE, true)).join();
      Mqtt5BlockingClient pub = f.connect5("pub");
      pub.publishWith().topic("x").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[10]).send();
      Mqtt5BlockingClient c = f.connect5("sys");
      try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
        c.subscribeWith().topicFilter("$SYS/broker/#").send();
        Map<String, String> v = collect(in);
        assertThat(v.keySet()).containsExactlyInAnyOrderElementsOf(TOPICS);
        assertThat(v.get("uptime")).endsWith(" seconds");
        assertThat(v.get("version")).startsWith("mqtt-sidecar ");
        assertThat(v.get("clients/connected")).isEqualTo("2");
        assertThat(v.get("clients/total")).isEqualTo("2");
        assertThat(v.get("clients/maximum")).isEqualTo("2");
        assertThat(v.get("messages/received")).isEqualTo("1");
        assertThat(v.get("bytes/received")).isEqualTo("10");
        assertThat(v.get("retained messages/count")).isEqualTo("1");
        assertThat(v.get("retained messages/bytes")).isEqualTo("5"); // "keep" and one byte
        assertThat(v.get("persistent sessions/count")).isEqualTo("0");
        assertThat(v.get("subscriptions/count")).isEqualTo("1");
        assertThat(v.get("publish/messages/dropped/not-authorized")).isEqualTo("0");
        assertThat(v.get("subscriptions/not-authorized")).isEqualTo("0");
        assertThat(Long.parseLong(v.get("heap/current"))).isPositive();
        // Values move: our own $SYS deliveries count as sent messages.
        long sent = Long.parseLong(v.get("messages/sent"));
        Map<String, String> later = collect(in);
        assertThat(Long.parseLong(later.get("messages/sent"))).isGreaterThan(sent);
      }
    }
  }

  @Test
  void wildcardSubscribersDoNotReceiveSysTopics() throws Exception {
    try (BrokerFixture f =
        BrokerFixture.start(BrokerConfig.builder().sysInterval(Duration.ofMillis(100)))) {
      Mqtt5BlockingClient c = f.connect5("all");
      try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
        c.subscribeWith().topicFilter("#").send();
        assertThat(in.receive(500, TimeUnit.MILLISECONDS)).isEmpty(); // [MQTT-4.7.2-1]
      }
    }
  }

  @Test
  void zeroIntervalTurnsSysOff() throws Exception {
    try (BrokerFixture f = BrokerFixture.start(BrokerConfig.builder().sysInterval(Duration.ZERO))) {
      Mqtt5BlockingClient c = f.connect5("sys");
      try (Mqtt5BlockingClient.Mqtt5Publishes in = c.publishes(MqttGlobalPublishFilter.ALL)) {
        c.subscribeWith().topicFilter("$SYS/#").send();
        assertThat(in.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
      }
    }
  }
}
