package dev.mqttsidecar.state.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The state service's request size bound, through a real broker and client. */
class StateServiceLimitsIT {
  private static final String RESPONSE = "$state/response/limits/1";
  private static final int MAX_REQUEST_BYTES = 64;

  private Broker broker;
  private StateService service;
  private Mqtt5BlockingClient client;
  private Mqtt5BlockingClient.Mqtt5Publishes answers;

  @BeforeEach
  void start() throws Exception {
    broker = Broker.create(BrokerConfig.builder().port(0).durability(Durability.MEMORY).build());
    broker.start();
    service =
        new StateService(
            broker,
            Clock.systemUTC(),
            new StateServiceSettings(true, Set.of(), MAX_REQUEST_BYTES, 8));
    service.start();
    client =
        Mqtt5Client.builder()
            .identifier("limits")
            .serverHost("127.0.0.1")
            .serverPort(broker.mqttAddress().getPort())
            .buildBlocking();
    client.connect();
    answers = client.publishes(MqttGlobalPublishFilter.ALL);
    client.subscribeWith().topicFilter(RESPONSE).qos(MqttQos.AT_LEAST_ONCE).send();
  }

  @AfterEach
  void stop() throws Exception {
    answers.close();
    client.disconnect();
    service.close();
    broker.stop();
  }

  private Map<String, String> set(String json) throws InterruptedException {
    client
        .publishWith()
        .topic("$state/v1/orders/set")
        .qos(MqttQos.AT_LEAST_ONCE)
        .contentType(StatePayloads.JSON)
        .responseTopic(RESPONSE)
        .correlationData(new byte[] {1})
        .payload(json.getBytes(StandardCharsets.UTF_8))
        .send();
    Mqtt5Publish answer = answers.receive(10, TimeUnit.SECONDS).orElseThrow();
    return answer.getUserProperties().asList().stream()
        .collect(
            Collectors.toMap(
                p -> p.getName().toString(), p -> p.getValue().toString(), (a, b) -> b));
  }

  @Test
  void aRequestOverTheSizeBoundIsRefusedAndTheNextIsServed() throws Exception {
    String large = "{\"key\":\"k\",\"value\":\"" + "A".repeat(MAX_REQUEST_BYTES) + "\"}";
    Map<String, String> refused = set(large);
    assertThat(refused).containsEntry("status", "RESOURCE_EXHAUSTED");
    assertThat(refused.get("message")).contains("over the state service's " + MAX_REQUEST_BYTES);

    assertThat(set("{\"key\":\"k\",\"value\":\"aGk=\"}")).containsEntry("status", "OK");
  }
}
