package dev.mqttsidecar.component.state;

import static dev.mqttsidecar.component.state.StateSocketTestBase.setRequest;
import static dev.mqttsidecar.component.state.StateSocketTestBase.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.broker.testing.TestPki;
import dev.mqttsidecar.component.dataflow.Mosquitto;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.SidecarProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote state store against Debian's Mosquitto, which has no state service: Init falls back to
 * last-write-wins on retained messages, advertises no ETAG, and refuses what it cannot honour.
 */
class RemoteLastWriteWinsIT {
  @TempDir Path folder;

  @Test
  void fallsBackToLastWriteWinsOnRetainedTopicsThatDevicesSee() throws Exception {
    assumeTrue(Mosquitto.installed(), "no " + Mosquitto.BINARY + " (Debian package mosquitto)");
    TestPki pki = TestPki.create(Files.createDirectories(folder.resolve("pki")));
    try (Mosquitto mosquitto =
            Mosquitto.start(Files.createDirectories(folder.resolve("mosquitto")), pki);
        SidecarProcess sidecar = SidecarProcess.start(folder, "edge", "--no-broker");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("edge.sock"))) {
      assertThat(daprd.initState(store(mosquitto, Map.of())))
          .doesNotContain("ETAG", "TRANSACTIONAL", "QUERY_API");
      assertThat(sidecar.output()).contains("last-write-wins").contains("no ETags");

      daprd.state("orders").set(setRequest("order-1", utf8("placed"), null));
      assertThat(daprd.state("orders").get(get("order-1")).getData().toStringUtf8())
          .isEqualTo("placed");

      Mqtt5BlockingClient device = device(mosquitto);
      try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
          device.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
        device.subscribeWith().topicFilter("$dapr/state/orders/order-1").send();
        Optional<Mqtt5Publish> seen = publishes.receive(10, TimeUnit.SECONDS);
        assertThat(seen).isPresent();
        assertThat(seen.get().isRetain()).isTrue();
        assertThat(new String(seen.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
            .isEqualTo("placed");
      } finally {
        device.disconnect();
      }

      daprd.state("orders").delete(State.DeleteRequest.newBuilder().setKey("order-1").build());
      assertThat(daprd.state("orders").get(get("order-1")).getData().isEmpty()).isTrue();

      assertThatThrownBy(() -> daprd.state("orders").set(setRequest("order-2", utf8("x"), "1")))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).contains("ETags need");
              });
      assertThat(daprd.state("orders").get(get("order-2")).getData().isEmpty()).isTrue();
      State.SetRequest firstWrite =
          setRequest("order-2", utf8("x"), null).toBuilder()
              .setOptions(
                  State.StateOptions.newBuilder()
                      .setConcurrency(State.StateOptions.StateConcurrency.CONCURRENCY_FIRST_WRITE))
              .build();
      assertThatThrownBy(() -> daprd.state("orders").set(firstWrite))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).contains("first-write");
              });
      assertThatThrownBy(
              () ->
                  daprd
                      .transactions("orders")
                      .transact(State.TransactionalStateRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
      assertThat(sidecar.output()).doesNotContain(Mosquitto.PASSWORD);
    }
  }

  @Test
  void aValueWrittenByADeviceIsReadAndRequiredFailsInit() throws Exception {
    assumeTrue(Mosquitto.installed(), "no " + Mosquitto.BINARY + " (Debian package mosquitto)");
    TestPki pki = TestPki.create(Files.createDirectories(folder.resolve("pki")));
    try (Mosquitto mosquitto =
            Mosquitto.start(Files.createDirectories(folder.resolve("mosquitto")), pki);
        SidecarProcess sidecar = SidecarProcess.start(folder, "edge", "--no-broker");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("edge.sock"))) {
      Mqtt5BlockingClient device = device(mosquitto);
      device
          .publishWith()
          .topic("$dapr/state/orders/order-9")
          .qos(MqttQos.AT_LEAST_ONCE)
          .retain(true)
          .payload(utf8("from-device"))
          .send();
      device.disconnect();

      assertThat(daprd.initState(store(mosquitto, Map.of("stateService", "off")))).isEmpty();
      assertThat(daprd.state("orders").get(get("order-9")).getData().toStringUtf8())
          .isEqualTo("from-device");

      assertThatThrownBy(
              () -> daprd.initState(store(mosquitto, Map.of("stateService", "required"))))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(e.getStatus().getDescription())
                    .contains("did not answer the state service");
              });
    }
  }

  private static ComponentYaml store(Mosquitto mosquitto, Map<String, String> extra) {
    Map<String, String> metadata = new HashMap<>(extra);
    metadata.put("url", "tcp://127.0.0.1:" + mosquitto.port);
    metadata.put("username", Mosquitto.USER);
    metadata.put("password", Mosquitto.PASSWORD);
    return new ComponentYaml("orders", "state.mqtt-sidecar", metadata);
  }

  private static Mqtt5BlockingClient device(Mosquitto mosquitto) {
    Mqtt5BlockingClient device =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("device-1")
            .serverHost("127.0.0.1")
            .serverPort(mosquitto.port)
            .buildBlocking();
    device
        .connectWith()
        .simpleAuth()
        .username(Mosquitto.USER)
        .password(Mosquitto.PASSWORD.getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send();
    return device;
  }

  private static State.GetRequest get(String key) {
    return State.GetRequest.newBuilder().setKey(key).build();
  }
}
