package dev.mqttsidecar.component.statesvc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import dev.mqttsidecar.component.pubsub.Devices;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state service's wire protocol as any MQTT 5 client sees it: JSON bodies, and clear error
 * answers (or a drop) for requests it cannot serve, with the connection staying up.
 */
class StateServiceRequestsTest {
  private static final String RESPONSES = "$state/response/raw-client/";

  @TempDir Path folder;
  private InProcessSidecar sidecar;
  private Mqtt5BlockingClient client;
  private Mqtt5BlockingClient.Mqtt5Publishes answers;
  private int nextId;

  @BeforeEach
  void start() throws Exception {
    sidecar = InProcessSidecar.start(folder);
    client = Devices.mqtt5(sidecar.mqttPort());
    answers = client.publishes(MqttGlobalPublishFilter.ALL);
    client.subscribeWith().topicFilter(RESPONSES + "#").qos(MqttQos.AT_LEAST_ONCE).send();
  }

  @AfterEach
  void stop() throws Exception {
    answers.close();
    client.disconnect();
    sidecar.close();
  }

  /** Sends one request and waits briefly for the answer carrying its correlation data. */
  private Optional<Mqtt5Publish> request(
      String topic, String contentType, byte[] payload, String responseTopic) throws Exception {
    byte[] id = ("req-" + (++nextId)).getBytes(StandardCharsets.UTF_8);
    Mqtt5PublishBuilder.Complete publish =
        Mqtt5Publish.builder().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload);
    if (contentType != null) {
      publish.contentType(contentType);
    }
    if (responseTopic != null) {
      publish.responseTopic(responseTopic).correlationData(id);
    }
    client.publish(publish.build());
    Optional<Mqtt5Publish> answer =
        answers.receive(responseTopic == null ? 500 : 10_000, TimeUnit.MILLISECONDS);
    answer.ifPresent(
        a ->
            assertThat(a.getCorrelationData().map(StateServiceRequestsTest::bytes).orElseThrow())
                .isEqualTo(id));
    return answer;
  }

  private Mqtt5Publish json(String operation, String body) throws Exception {
    return request(
            "$state/v1/orders/" + operation,
            "application/json",
            body.getBytes(StandardCharsets.UTF_8),
            RESPONSES + "1")
        .orElseThrow(() -> new AssertionError("no answer to " + operation));
  }

  private static byte[] bytes(java.nio.ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private static String status(Mqtt5Publish answer) {
    return Devices.userProperties(answer).get("status");
  }

  @Test
  void jsonRequestsGetJsonAnswers() throws Exception {
    // "value" is bytes, so JSON carries it as base64: "aGk=" is "hi".
    Mqtt5Publish set = json("set", "{\"key\":\"j\",\"value\":\"aGk=\"}");
    assertThat(status(set)).isEqualTo("OK");
    assertThat(Devices.contentType(set)).isEqualTo("application/json");

    Mqtt5Publish get = json("get", "{\"key\":\"j\"}");
    assertThat(status(get)).isEqualTo("OK");
    assertThat(new String(get.getPayloadAsBytes(), StandardCharsets.UTF_8))
        .contains("\"data\":\"aGk=\"")
        .contains("\"etag\":{\"value\":");
  }

  @Test
  void aJsonQueryIsWrittenAsForDaprsStateQueryApi() throws Exception {
    for (String[] order :
        new String[][] {{"o1", "Seattle", "3"}, {"o2", "Oslo", "1"}, {"o3", "Seattle", "2"}}) {
      String value = "{\"city\":\"" + order[1] + "\",\"n\":" + order[2] + "}";
      String base64 = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
      assertThat(status(json("set", "{\"key\":\"" + order[0] + "\",\"value\":\"" + base64 + "\"}")))
          .isEqualTo("OK");
    }

    Mqtt5Publish page =
        json(
            "query",
            "{\"query\":{\"filter\":{\"EQ\":{\"city\":\"Seattle\"}},"
                + "\"sort\":[{\"key\":\"n\",\"order\":\"DESC\"}],\"page\":{\"limit\":10}}}");
    assertThat(status(page)).isEqualTo("OK");
    JsonNode items = new ObjectMapper().readTree(page.getPayloadAsBytes()).path("items");
    assertThat(items).extracting(i -> i.path("key").asText()).containsExactly("o1", "o3");

    Mqtt5Publish notAnObject = json("query", "{\"query\":{\"filter\":[]}}");
    assertThat(status(notAnObject)).isEqualTo("INVALID_ARGUMENT");
    assertThat(Devices.userProperties(notAnObject).get("message")).contains("query.filter");
  }

  @Test
  void malformedPayloadsUnknownOperationsAndContentTypesAreRefusedClearly() throws Exception {
    Mqtt5Publish garbage =
        request("$state/v1/orders/set", null, new byte[] {(byte) 0xff, 1, 2}, RESPONSES + "1")
            .orElseThrow();
    assertThat(status(garbage)).isEqualTo("INVALID_ARGUMENT");
    assertThat(Devices.userProperties(garbage).get("message")).contains("SetRequest");

    Mqtt5Publish badJson = json("set", "{\"key\":");
    assertThat(status(badJson)).isEqualTo("INVALID_ARGUMENT");

    Mqtt5Publish unknown = json("upsert", "{}");
    assertThat(status(unknown)).isEqualTo("UNIMPLEMENTED");
    assertThat(Devices.userProperties(unknown).get("message")).contains("upsert");

    Mqtt5Publish xml =
        request("$state/v1/orders/get", "text/xml", new byte[0], RESPONSES + "1").orElseThrow();
    assertThat(status(xml)).isEqualTo("INVALID_ARGUMENT");

    // The connection is still up and served.
    assertThat(status(json("get", "{\"key\":\"nothing\"}"))).isEqualTo("OK");
  }

  @Test
  void requestsWithoutAUsableResponseTopicAreDroppedAndCounted() throws Exception {
    byte[] body = "{\"key\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(request("$state/v1/orders/get", "application/json", body, null)).isEmpty();
    // Only below $state/response/, so a request cannot publish onto an application topic.
    client.subscribeWith().topicFilter("elsewhere/#").qos(MqttQos.AT_LEAST_ONCE).send();
    client
        .publishWith()
        .topic("$state/v1/orders/get")
        .contentType("application/json")
        .responseTopic("elsewhere/answers")
        .payload(body)
        .send();
    assertThat(answers.receive(500, TimeUnit.MILLISECONDS)).isEmpty();

    assertThat(status(json("get", "{\"key\":\"x\"}"))).isEqualTo("OK");
    assertThat(sidecar.sidecar().stateService().dropped()).isEqualTo(2);
  }
}
