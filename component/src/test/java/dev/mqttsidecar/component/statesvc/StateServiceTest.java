package dev.mqttsidecar.component.statesvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.component.pubsub.Devices;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import dev.mqttsidecar.state.StoreConfig;
import dev.mqttsidecar.state.grpc.StateFailure;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state service over MQTT 5 request/response, through a real socket and a real client. */
class StateServiceTest {
  private static final String STORE = "orders";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path folder;
  private InProcessSidecar sidecar;
  private Mqtt5AsyncClient mqtt;
  private StateServiceClient state;

  @BeforeEach
  void start() throws Exception {
    sidecar = InProcessSidecar.start(folder);
    mqtt = connect("app-" + UUID.randomUUID());
    state = StateServiceClient.start(mqtt, STORE, TIMEOUT).join();
  }

  @AfterEach
  void stop() throws Exception {
    if (state != null) {
      state.close();
    }
    mqtt.disconnect().join();
    sidecar.close();
  }

  private Mqtt5AsyncClient connect(String clientId) {
    Mqtt5AsyncClient client =
        Mqtt5Client.builder()
            .identifier(clientId)
            .serverHost("127.0.0.1")
            .serverPort(sidecar.mqttPort())
            .buildAsync();
    client.connect().join();
    return client;
  }

  private static State.SetRequest set(String key, String value) {
    return State.SetRequest.newBuilder()
        .setKey(key)
        .setValue(ByteString.copyFromUtf8(value))
        .build();
  }

  private State.GetResponse get(String key) {
    return state.get(State.GetRequest.newBuilder().setKey(key).build()).join();
  }

  private static StateFailure failure(CompletableFuture<?> call) {
    try {
      call.join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(StateServiceException.class);
      return ((StateServiceException) e.getCause()).failure();
    }
    throw new AssertionError("the call succeeded");
  }

  @Test
  void setGetDeleteRoundTripAndADeviceSeesTheRetainedTopicChange() throws Exception {
    Mqtt5BlockingClient device = Devices.mqtt5(sidecar.mqttPort());
    try (Mqtt5BlockingClient.Mqtt5Publishes seen = device.publishes(MqttGlobalPublishFilter.ALL)) {
      String topic = StoreConfig.defaults(STORE).topicPrefix() + "order-1";
      device.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();

      state.set(set("order-1", "{\"qty\":2}")).join();

      State.GetResponse got = get("order-1");
      assertThat(got.getData().toStringUtf8()).isEqualTo("{\"qty\":2}");
      assertThat(got.getEtag().getValue()).isNotEmpty();
      Mqtt5Publish change = seen.receive(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(change.getTopic().toString()).isEqualTo(topic);
      assertThat(new String(change.getPayloadAsBytes(), StandardCharsets.UTF_8))
          .isEqualTo("{\"qty\":2}");

      state.delete(State.DeleteRequest.newBuilder().setKey("order-1").build()).join();
      assertThat(get("order-1").getData().isEmpty()).isTrue();
    } finally {
      device.disconnect();
    }
  }

  @Test
  void anEtagMismatchIsFailedPreconditionThatRebuildsDaprsEtagError() {
    state.set(set("k", "v1")).join();
    String etag = get("k").getEtag().getValue();
    state.set(set("k", "v2")).join();

    StateFailure failure =
        failure(
            state.set(
                set("k", "v3").toBuilder()
                    .setEtag(State.Etag.newBuilder().setValue(etag))
                    .build()));

    assertThat(failure.status()).isEqualTo("FAILED_PRECONDITION");
    assertThat(failure.field()).isEqualTo("etag");
    StatusRuntimeException rebuilt = failure.toStatusException();
    assertThat(rebuilt.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    com.google.rpc.Status detailed = StatusProto.fromThrowable(rebuilt);
    assertThat(detailed.getDetailsCount()).isEqualTo(1);
    assertThat(detailed.getDetails(0).is(BadRequest.class)).isTrue();
    assertThat(get("k").getData().toStringUtf8()).isEqualTo("v2");
  }

  @Test
  void firstWriteRefusesASecondWriteWithoutEtag() {
    State.SetRequest first =
        set("fw", "a").toBuilder()
            .setOptions(
                State.StateOptions.newBuilder()
                    .setConcurrency(State.StateOptions.StateConcurrency.CONCURRENCY_FIRST_WRITE))
            .build();
    state.set(first).join();

    StateFailure failure =
        failure(state.set(first.toBuilder().setValue(ByteString.copyFromUtf8("b")).build()));

    assertThat(failure.status()).isEqualTo("FAILED_PRECONDITION");
    assertThat(get("fw").getData().toStringUtf8()).isEqualTo("a");
  }

  @Test
  void aValueWithTtlExpires() {
    state.set(set("short", "lived").toBuilder().putMetadata("ttlInSeconds", "1").build()).join();
    assertThat(get("short").getMetadataMap()).containsKey("ttlExpireTime");

    await().atMost(Duration.ofSeconds(10)).until(() -> get("short").getData().isEmpty());
  }

  @Test
  void aTransactionIsAllOrNothing() {
    state.set(set("a", "1")).join();
    State.TransactionalStateRequest tx =
        State.TransactionalStateRequest.newBuilder()
            .addOperations(State.TransactionalStateOperation.newBuilder().setSet(set("b", "2")))
            .addOperations(
                State.TransactionalStateOperation.newBuilder()
                    .setDelete(
                        State.DeleteRequest.newBuilder()
                            .setKey("a")
                            .setEtag(State.Etag.newBuilder().setValue("999999"))))
            .build();

    assertThat(failure(state.transact(tx)).status()).isEqualTo("FAILED_PRECONDITION");
    assertThat(get("b").getData().isEmpty()).isTrue();
    assertThat(get("a").getData().toStringUtf8()).isEqualTo("1");

    State.TransactionalStateRequest good =
        State.TransactionalStateRequest.newBuilder()
            .addOperations(State.TransactionalStateOperation.newBuilder().setSet(set("b", "2")))
            .addOperations(
                State.TransactionalStateOperation.newBuilder()
                    .setDelete(State.DeleteRequest.newBuilder().setKey("a")))
            .build();
    state.transact(good).join();
    assertThat(get("b").getData().toStringUtf8()).isEqualTo("2");
    assertThat(get("a").getData().isEmpty()).isTrue();
  }

  @Test
  void bulkGetAndQueryReadWhatWasWritten() {
    state
        .bulkSet(
            State.BulkSetRequest.newBuilder()
                .addItems(set("p1", "{\"city\":\"Oslo\"}"))
                .addItems(set("p2", "{\"city\":\"Rome\"}"))
                .build())
        .join();

    State.BulkGetResponse bulk =
        state
            .bulkGet(
                State.BulkGetRequest.newBuilder()
                    .addItems(State.GetRequest.newBuilder().setKey("p1"))
                    .addItems(State.GetRequest.newBuilder().setKey("missing"))
                    .build())
            .join();
    assertThat(bulk.getItemsList())
        .extracting(State.BulkStateItem::getKey, i -> i.getData().toStringUtf8())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("p1", "{\"city\":\"Oslo\"}"),
            org.assertj.core.groups.Tuple.tuple("missing", ""));

    State.QueryResponse found =
        state
            .query(
                State.QueryRequest.newBuilder()
                    .setQuery(
                        State.Query.newBuilder()
                            .putFilter(
                                "EQ",
                                com.google.protobuf.Any.newBuilder()
                                    .setValue(ByteString.copyFromUtf8("{\"city\":\"Rome\"}"))
                                    .build()))
                    .build())
            .join();
    assertThat(found.getItemsList()).extracting(State.QueryItem::getKey).containsExactly("p2");
  }

  @Test
  void theProbeAndFeaturesSayTheServiceAnswers() {
    assertThat(state.probe().join()).isTrue();
    assertThat(state.features().join().getFeaturesList()).contains("ETAG", "TRANSACTIONAL");
  }
}
