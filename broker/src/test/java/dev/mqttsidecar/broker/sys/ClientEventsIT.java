package dev.mqttsidecar.broker.sys;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Client life-cycle events on $events/clients/{clientId}/connected|disconnected. */
@ExtendWith(LeakCheck.class)
class ClientEventsIT {

  private static String next(Mqtt5BlockingClient.Mqtt5Publishes in, String topic) throws Exception {
    Optional<Mqtt5Publish> p = in.receive(3, TimeUnit.SECONDS);
    assertThat(p).as("event on " + topic).isPresent();
    assertThat(p.get().getTopic().toString()).isEqualTo(topic);
    assertThat(p.get().getContentType().map(Object::toString)).contains("application/json");
    return new String(p.get().getPayloadAsBytes(), UTF_8);
  }

  @Test
  void connectAndDisconnectArePublishedAsJson() throws Exception {
    try (BrokerFixture f = BrokerFixture.start()) {
      Mqtt5BlockingClient watcher = f.connect5("watcher");
      try (Mqtt5BlockingClient.Mqtt5Publishes in = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
        watcher.subscribeWith().topicFilter("$events/clients/+/+").send();

        Mqtt5BlockingClient device = f.mqtt5("device-1").buildBlocking();
        device
            .connectWith()
            .simpleAuth()
            .username("alice")
            .password("pw".getBytes(StandardCharsets.UTF_8))
            .applySimpleAuth()
            .send();
        String connected = next(in, "$events/clients/device-1/connected");
        assertThat(connected)
            .contains("\"clientId\":\"device-1\"")
            .contains("\"username\":\"alice\"")
            .contains("\"protocolVersion\":5")
            .contains("\"remoteAddress\":\"127.0.0.1:")
            .contains("\"time\":\"")
            .doesNotContain("reason");
        device.disconnect();
        assertThat(next(in, "$events/clients/device-1/disconnected"))
            .contains("\"clientId\":\"device-1\"")
            .contains("\"reason\":\"normal disconnection\"");

        Mqtt3BlockingClient old = f.connect3("legacy");
        assertThat(next(in, "$events/clients/legacy/connected"))
            .contains("\"protocolVersion\":4")
            .contains("\"username\":null");

        RawMqttClient raw = f.raw();
        raw.send(RawMqttClient.connect5("vanishing", true, 30));
        raw.read();
        next(in, "$events/clients/vanishing/connected");
        raw.close(); // no DISCONNECT: the network connection is lost
        assertThat(next(in, "$events/clients/vanishing/disconnected"))
            .contains("\"reason\":\"connection lost\"");

        Mqtt5BlockingClient again = f.connect5("device-1");
        next(in, "$events/clients/device-1/connected");
        f.connect5("device-1"); // takes the session over [MQTT-3.1.4-3]
        Map<String, String> events = new HashMap<>();
        for (int i = 0; i < 2; i++) {
          Optional<Mqtt5Publish> p = in.receive(3, TimeUnit.SECONDS);
          assertThat(p).isPresent();
          events.put(p.get().getTopic().toString(), new String(p.get().getPayloadAsBytes(), UTF_8));
        }
        assertThat(events.get("$events/clients/device-1/disconnected"))
            .contains("\"reason\":\"session taken over\"");
        assertThat(events).containsKey("$events/clients/device-1/connected");
        old.disconnect();
      }
    }
  }

  @Test
  void eventsCanBeSwitchedOff() throws Exception {
    try (BrokerFixture f = BrokerFixture.start(BrokerConfig.builder().lifecycleEvents(false))) {
      Mqtt5BlockingClient watcher = f.connect5("watcher");
      try (Mqtt5BlockingClient.Mqtt5Publishes in = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
        watcher.subscribeWith().topicFilter("$events/#").send();
        f.connect5("quiet").disconnect();
        assertThat(in.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
      }
    }
  }
}
