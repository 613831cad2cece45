package dev.mqttsidecar.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.Authentication;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.TestPki;
import dev.mqttsidecar.broker.testing.TlsClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** One broker with a plain, a TLS and a WebSocket listener: one set of topics across all three. */
@ExtendWith(LeakCheck.class)
class MultipleListenersIT {
  @TempDir Path dir;

  @Test
  void messagesCrossListenersAndEachConnectionKnowsItsListener() throws Exception {
    TestPki pki = TestPki.create(dir);
    List<String> identities = new CopyOnWriteArrayList<>();
    BrokerConfig.Builder config =
        BrokerConfig.builder()
            .listeners(
                List.of(
                    new Listener("plain", "127.0.0.1", 0, Listener.Protocol.MQTT, null),
                    new Listener(
                        "devices", "127.0.0.1", 0, Listener.Protocol.MQTT, pki.serverTls(true)),
                    new Listener("browsers", "127.0.0.1", 0, Listener.Protocol.WEBSOCKET, null)))
            .authenticator(
                (client, password) -> {
                  identities.add(
                      client.clientId() + "@" + client.listener() + ":" + client.certCommonName());
                  return Authentication.accepted(client.username());
                });
    try (BrokerFixture f = BrokerFixture.start(config)) {
      Set<Integer> ports =
          List.of("plain", "devices", "browsers").stream()
              .map(name -> f.broker().mqttAddress(name).getPort())
              .collect(Collectors.toSet());
      assertThat(ports).hasSize(3).doesNotContain(0);

      Mqtt5BlockingClient plain = f.mqtt5("app").serverPort(f.port("plain")).buildBlocking();
      Mqtt5BlockingClient device =
          f.mqtt5("sensor")
              .serverPort(f.port("devices"))
              .sslConfig(TlsClients.withCertificate(pki, pki.device1()))
              .buildBlocking();
      Mqtt5BlockingClient browser =
          f.mqtt5("page")
              .serverPort(f.port("browsers"))
              .webSocketConfig()
              .serverPath("mqtt")
              .applyWebSocketConfig()
              .buildBlocking();
      for (Mqtt5BlockingClient c : List.of(plain, device, browser)) {
        c.connect();
        f.track(c);
      }
      assertThat(identities)
          .containsExactly("app@plain:null", "sensor@devices:device-1", "page@browsers:null");

      try (Mqtt5BlockingClient.Mqtt5Publishes atApp = plain.publishes(MqttGlobalPublishFilter.ALL);
          Mqtt5BlockingClient.Mqtt5Publishes atPage =
              browser.publishes(MqttGlobalPublishFilter.ALL)) {
        plain.subscribeWith().topicFilter("sensors/+").qos(MqttQos.AT_LEAST_ONCE).send();
        browser.subscribeWith().topicFilter("sensors/+").qos(MqttQos.AT_LEAST_ONCE).send();
        device
            .publishWith()
            .topic("sensors/temperature")
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload("21.5".getBytes(StandardCharsets.UTF_8))
            .send();
        for (Mqtt5BlockingClient.Mqtt5Publishes received : List.of(atApp, atPage)) {
          Optional<Mqtt5Publish> m = received.receive(5, TimeUnit.SECONDS);
          assertThat(m).isPresent();
          assertThat(new String(m.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
              .isEqualTo("21.5");
        }
      }
    }
  }
}
