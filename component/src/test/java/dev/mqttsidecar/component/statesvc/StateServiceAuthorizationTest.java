package dev.mqttsidecar.component.statesvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import dev.mqttsidecar.component.testing.SecuredBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state service is reached through the broker's authorization rules like any topic. */
class StateServiceAuthorizationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path folder;
  private InProcessSidecar sidecar;
  private final List<Mqtt5AsyncClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    BrokerConfig config =
        SecuredBroker.builder()
            .user("app", "pw")
            .user("reader", "pw")
            .user("device", "pw")
            .allow(
                null,
                "app",
                List.of("$state/v1/orders/#"),
                List.of("$state/response/${client.id}/#"))
            .allow(null, "reader", List.of(), List.of("$state/response/${client.id}/#"))
            .allow(null, "device", List.of("devices/#"), List.of("devices/#"))
            .config(folder);
    sidecar = InProcessSidecar.start(folder, config);
  }

  @AfterEach
  void stop() throws Exception {
    for (Mqtt5AsyncClient client : clients) {
      client.disconnect().join();
    }
    sidecar.close();
  }

  private Mqtt5AsyncClient connect(String user) {
    Mqtt5AsyncClient client =
        Mqtt5Client.builder()
            .identifier(user + "-1")
            .serverHost("127.0.0.1")
            .serverPort(sidecar.mqttPort())
            .buildAsync();
    client
        .connectWith()
        .simpleAuth()
        .username(user)
        .password("pw".getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send()
        .join();
    clients.add(client);
    return client;
  }

  private static State.SetRequest set(String key, String value) {
    return State.SetRequest.newBuilder()
        .setKey(key)
        .setValue(ByteString.copyFromUtf8(value))
        .build();
  }

  private static String status(Throwable t) {
    assertThat(t).isInstanceOf(CompletionException.class);
    assertThat(t.getCause()).isInstanceOf(StateServiceException.class);
    return ((StateServiceException) t.getCause()).failure().status();
  }

  @Test
  void anAllowedClientIsServed() {
    StateServiceClient app = StateServiceClient.start(connect("app"), "orders", TIMEOUT).join();
    app.set(set("k", "v")).join();
    assertThat(
            app.get(State.GetRequest.newBuilder().setKey("k").build())
                .join()
                .getData()
                .toStringUtf8())
        .isEqualTo("v");
  }

  @Test
  void aClientThatMayNotPublishRequestsWritesNothing() {
    StateServiceClient reader =
        StateServiceClient.start(connect("reader"), "orders", TIMEOUT).join();
    assertThatThrownBy(() -> reader.set(set("k", "forged")).join())
        .satisfies(t -> assertThat(status(t)).isEqualTo("UNAVAILABLE"));

    StateServiceClient app = StateServiceClient.start(connect("app"), "orders", TIMEOUT).join();
    assertThat(app.get(State.GetRequest.newBuilder().setKey("k").build()).join().getData())
        .isEmpty();
  }

  @Test
  void aClientThatMayNotSubscribeToResponsesCannotStart() {
    assertThatThrownBy(() -> StateServiceClient.start(connect("device"), "orders", TIMEOUT).join())
        .satisfies(t -> assertThat(status(t)).isEqualTo("PERMISSION_DENIED"));
  }

  @Test
  void anAllowedClientCannotReachAnotherStore() {
    StateServiceClient app = StateServiceClient.start(connect("app"), "payroll", TIMEOUT).join();
    assertThatThrownBy(() -> app.set(set("salary", "1")).join())
        .satisfies(t -> assertThat(status(t)).isEqualTo("UNAVAILABLE"));
  }
}
