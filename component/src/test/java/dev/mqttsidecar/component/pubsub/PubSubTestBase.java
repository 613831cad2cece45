package dev.mqttsidecar.component.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dapr.proto.components.v1.PubSubGrpc;
import dapr.proto.components.v1.Pubsub.PublishRequest;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A sidecar per test on a real socket, with daprd's view of the pub/sub component. */
abstract class PubSubTestBase {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Duration QUIET = Duration.ofMillis(300);

  @TempDir Path folder;
  InProcessSidecar sidecar;

  @BeforeEach
  void startSidecar() throws Exception {
    sidecar = InProcessSidecar.start(folder);
  }

  @AfterEach
  void stopSidecar() throws Exception {
    if (sidecar != null) {
      sidecar.close();
    }
  }

  /** Replaces the sidecar (if any) by one on the durable store in {@code folder/data} (fsync). */
  InProcessSidecar restartDurable() throws Exception {
    if (sidecar != null) {
      sidecar.close();
      sidecar = null;
    }
    sidecar =
        InProcessSidecar.start(
            folder,
            BrokerConfig.builder()
                .port(0)
                .dataDirectory(folder.resolve("data"))
                .durability(Durability.FSYNC)
                .build());
    return sidecar;
  }

  /**
   * Waits until exactly {@code count} streams are subscribed to the MQTT topic {@code topic}
   * (topicPrefix included). A stream subscribes asynchronously after its first request: a message
   * published before then reaches no stream. With zero: until the cancelled streams have closed.
   */
  void awaitSubscribers(String topic, int count) {
    sidecar.awaitSubscribers(topic, count);
  }

  FakeDaprd daprd() {
    return sidecar.daprd();
  }

  /** components-yaml/pubsub.yaml with test-friendly timings. */
  static ComponentYaml component() {
    try {
      return ComponentYaml.read(ComponentYaml.FOLDER.resolve("pubsub.yaml"))
          .with("consumerID", "app1")
          .with("redeliveryBackoff", "50ms")
          .with("ackTimeoutSeconds", "5");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Init + Features as daprd does; returns the component name for calls. */
  String init(ComponentYaml component) {
    daprd().initPubSub(component);
    return component.name();
  }

  PubSubGrpc.PubSubBlockingStub pubSub(String instance) {
    return daprd().pubSub(instance);
  }

  /** Publishes {@code data} the way daprd does for an app: wrapped in a CloudEvent. */
  void publishEvent(String instance, String topic, String data) {
    publishRaw(instance, topic, cloudEvent(topic, data), Map.of());
  }

  void publishRaw(String instance, String topic, byte[] data, Map<String, String> metadata) {
    pubSub(instance)
        .publish(
            PublishRequest.newBuilder()
                .setPubsubName(instance)
                .setTopic(topic)
                .setData(ByteString.copyFrom(data))
                .putAllMetadata(metadata)
                .build());
  }

  /** A CloudEvent as daprd builds it for a text/plain publish. */
  static byte[] cloudEvent(String topic, String data) {
    ObjectNode event = JSON.createObjectNode();
    event.put("id", UUID.randomUUID().toString());
    event.put("specversion", "1.0");
    event.put("source", "publisher-app");
    event.put("type", "com.dapr.event.sent");
    event.put("datacontenttype", "text/plain");
    event.put("topic", topic);
    event.put("pubsubname", "mqtt-pubsub");
    event.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    event.put("data", data);
    try {
      return JSON.writeValueAsBytes(event);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(ByteString bytes) {
    try {
      return JSON.readTree(bytes.toByteArray());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + bytes.toString(StandardCharsets.UTF_8), e);
    }
  }

  /** The {@code data} of a CloudEvent delivered to daprd. */
  static String eventData(ByteString bytes) {
    return json(bytes).path("data").asText();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
