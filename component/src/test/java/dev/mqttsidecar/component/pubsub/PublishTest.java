package dev.mqttsidecar.component.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dapr.proto.components.v1.Pubsub.PublishRequest;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Publish: from daprd to MQTT subscribers, and the requests it refuses. */
class PublishTest extends PubSubTestBase {

  @Test
  void publishMapsTopicQosRetainTtlContentTypeAndMetadata() throws Exception {
    String pubsub = init(component().with("topicPrefix", "factory/"));
    Mqtt5BlockingClient device = Devices.mqtt5(sidecar.mqttPort());
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = Devices.subscribe(device, "factory/#")) {
      publishRaw(
          pubsub,
          "orders",
          cloudEvent("orders", "hello"),
          Map.of("qos", "2", "ttlInSeconds", "60", "traceid", "t-1", "custom", "v"));
      Mqtt5Publish publish = Devices.receive(publishes, WAIT);
      assertThat(publish.getTopic().toString()).isEqualTo("factory/orders");
      assertThat(publish.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
      assertThat(Devices.contentType(publish)).isEqualTo("application/cloudevents+json");
      assertThat(publish.getMessageExpiryInterval().orElse(-1)).isBetween(55L, 60L);
      assertThat(Devices.userProperties(publish))
          .containsEntry("custom", "v")
          .containsEntry("traceid", "t-1")
          .doesNotContainKeys("qos", "ttlInSeconds", "retain");
      assertThat(json(ByteString.copyFrom(publish.getPayloadAsBytes())).path("data").asText())
          .isEqualTo("hello");
    } finally {
      device.disconnect();
    }
  }

  @Test
  void defaultQosComesFromTheComponentAndRetainFromTheRequest() throws Exception {
    String pubsub = init(component().with("qos", "0"));
    publishRaw(
        pubsub, "status/line1", cloudEvent("status/line1", "running"), Map.of("retain", "true"));
    Mqtt5BlockingClient device = Devices.mqtt5(sidecar.mqttPort());
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = Devices.subscribe(device, "status/+")) {
      Mqtt5Publish publish = Devices.receive(publishes, WAIT);
      assertThat(publish.isRetain()).as("retained message for a new subscriber").isTrue();
      assertThat(publish.getQos()).isEqualTo(MqttQos.AT_MOST_ONCE);
    } finally {
      device.disconnect();
    }
  }

  @Test
  void retainCanBeTheComponentDefault() throws Exception {
    String pubsub = init(component().with("retain", "true"));
    publishEvent(pubsub, "config/a", "x");
    Mqtt5BlockingClient device = Devices.mqtt5(sidecar.mqttPort());
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = Devices.subscribe(device, "config/a")) {
      assertThat(Devices.receive(publishes, WAIT).isRetain()).isTrue();
    } finally {
      device.disconnect();
    }
  }

  @Test
  void badRequestsAreInvalidArgument() throws Exception {
    String pubsub = init(component());
    assertStatus(
        () -> publishRaw(pubsub, "", utf8("x"), Map.of()), Status.Code.INVALID_ARGUMENT, "empty");
    assertStatus(
        () -> publishRaw(pubsub, "a/+/b", utf8("x"), Map.of()),
        Status.Code.INVALID_ARGUMENT,
        "wildcard");
    assertStatus(
        () -> publishRaw(pubsub, "a/#", utf8("x"), Map.of()),
        Status.Code.INVALID_ARGUMENT,
        "wildcard");
    for (String reserved :
        List.of("$dapr/state/store/key", "$SYS/broker/uptime", "$events/clients/x/connected")) {
      assertStatus(
          () -> publishRaw(pubsub, reserved, utf8("x"), Map.of()),
          Status.Code.INVALID_ARGUMENT,
          "reserved");
    }
    assertStatus(
        () -> publishRaw(pubsub, "a", utf8("x"), Map.of("ttlInSeconds", "soon")),
        Status.Code.INVALID_ARGUMENT,
        "ttlInSeconds");
    assertStatus(
        () -> publishRaw(pubsub, "a", utf8("x"), Map.of("retain", "maybe")),
        Status.Code.INVALID_ARGUMENT,
        "retain");
    assertStatus(
        () -> publishRaw(pubsub, "a", utf8("x"), Map.of("qos", "3")),
        Status.Code.INVALID_ARGUMENT,
        "qos");
  }

  @Test
  void stringsMqttCannotCarryAreInvalidArgumentAndSubscribersKeepTheirConnection()
      throws Exception {
    String structured = init(component().with("topicPrefix", "s/"));
    String binary = init(component().withName("binary").with("cloudEvents", "binary"));
    Mqtt5BlockingClient device = Devices.mqtt5(sidecar.mqttPort());
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes = Devices.subscribe(device, "#")) {
      assertStatus(
          () -> publishRaw(structured, "a", cloudEvent("a", "x"), Map.of("note", "a\u0000b")),
          Status.Code.INVALID_ARGUMENT,
          "user property 'note' contains U+0000"); // [MQTT-1.5.4-2]
      ObjectNode event = (ObjectNode) JSON.readTree(cloudEvent("a", "x"));
      event.put("subject", "SURROGATE");
      // JSON may escape an unpaired surrogate, which is not UTF-8 [MQTT-1.5.4-1].
      byte[] withSurrogate = utf8(JSON.writeValueAsString(event).replace("SURROGATE", "\\uD800"));
      assertStatus(
          () -> publishRaw(binary, "a", withSurrogate, Map.of()),
          Status.Code.INVALID_ARGUMENT,
          "user property 'subject' contains an unpaired surrogate");

      publishEvent(structured, "a", "fine");
      Mqtt5Publish publish = Devices.receive(publishes, WAIT);
      assertThat(publish.getTopic().toString()).isEqualTo("s/a");
    } finally {
      device.disconnect();
    }
  }

  @Test
  void aTopicPrefixCannotLeadIntoTheStateStore() throws Exception {
    String pubsub = init(component().with("topicPrefix", "$dapr/"));
    assertStatus(
        () -> publishRaw(pubsub, "state/store/key", utf8("x"), Map.of()),
        Status.Code.INVALID_ARGUMENT,
        "reserved");
  }

  @Test
  void aMessageLargerThanTheBrokerAcceptsIsInvalidArgument() throws Exception {
    sidecar.close();
    sidecar =
        InProcessSidecar.start(
            folder, BrokerConfig.builder().port(0).maxPacketSize(64 * 1024).build());
    String pubsub = init(component());
    byte[] oversize = new byte[64 * 1024 + 1];
    assertStatus(
        () -> publishRaw(pubsub, "a", oversize, Map.of()),
        Status.Code.INVALID_ARGUMENT,
        "TOO_LARGE");
  }

  @Test
  void aFullConsumerGroupQueueIsResourceExhausted() throws Exception {
    sidecar.close();
    sidecar =
        InProcessSidecar.start(folder, BrokerConfig.builder().port(0).maxQueuedMessages(5).build());
    String pubsub = init(component());
    DaprStream creator = DaprStream.open(daprd(), pubsub, "orders", Map.of());
    awaitSubscribers("orders", 1);
    creator.cancel(); // a durable group, now offline
    awaitSubscribers("orders", 0);
    for (int i = 0; i < 5; i++) {
      publishEvent(pubsub, "orders", "fits-" + i);
    }
    assertStatus(
        () -> publishEvent(pubsub, "orders", "one too many"), Status.Code.RESOURCE_EXHAUSTED, "");
  }

  @Test
  void callsForAnInstanceDaprdNeverInitialisedFailWithFailedPrecondition() {
    assertStatus(
        () ->
            pubSub("nobody")
                .publish(
                    PublishRequest.newBuilder()
                        .setTopic("a")
                        .setData(ByteString.copyFromUtf8("x"))
                        .build()),
        Status.Code.FAILED_PRECONDITION,
        "nobody");
  }

  static void assertStatus(Runnable call, Status.Code code, String detail) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).containsIgnoringCase(detail);
            });
  }
}
