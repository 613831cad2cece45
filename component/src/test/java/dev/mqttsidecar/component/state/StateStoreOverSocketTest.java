package dev.mqttsidecar.component.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dapr.proto.components.v1.State;
import dapr.proto.components.v1.StateStoreGrpc;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cases of Dapr's state conformance suite (components-contrib tests/conformance/state), sent by
 * a fake daprd over the sidecar's real Unix socket to the real embedded broker, plus what makes
 * this store special: devices see the same keys as retained MQTT topics.
 */
class StateStoreOverSocketTest {
  private static final String STORE = "mqtt-state";

  @TempDir Path folder;
  private InProcessSidecar sidecar;
  private StateStoreGrpc.StateStoreBlockingStub state;

  @BeforeEach
  void start() throws Exception {
    sidecar = InProcessSidecar.start(folder);
    ComponentYaml yaml = ComponentYaml.read(ComponentYaml.FOLDER.resolve("statestore.yaml"));
    assertThat(yaml.name()).isEqualTo(STORE);
    assertThat(sidecar.daprd().initState(yaml))
        .contains("ETAG", "TRANSACTIONAL", "TTL", "QUERY_API");
    state = sidecar.daprd().state(STORE);
  }

  @AfterEach
  void stop() throws Exception {
    sidecar.close();
  }

  @Test
  void valuesOfEveryKindRoundTripByteForByte() {
    Map<String, byte[]> values =
        Map.of(
            "myapp||int", utf8("123"),
            "myapp||bool", utf8("true"),
            "myapp||bytes", new byte[] {0x01},
            "myapp||map", utf8("{\"a\":\"b\"}"),
            "myapp||string", utf8("\"hello world\""),
            "myapp||empty-string", utf8("\"\""));
    values.forEach((key, value) -> set(key, value, null));
    values.forEach((key, value) -> assertThat(get(key).getData().toByteArray()).isEqualTo(value));

    state.set(
        setRequest("myapp||struct", utf8("{\"name\":\"lamp\",\"on\":true}"), null).toBuilder()
            .setContentType("application/json")
            .build());
    assertThat(get("myapp||struct").getContentType()).isEqualTo("application/json");
  }

  @Test
  void aMissingKeyIsOkWithNoDataAndNoEtag() {
    State.GetResponse missing = get("myapp||never-written");
    assertThat(missing.getData().isEmpty()).isTrue();
    assertThat(missing.hasEtag()).isFalse();
  }

  @Test
  void deleteRemovesTheKeyAndDeletingAMissingKeySucceeds() {
    set("myapp||gone", utf8("1"), null);
    state.delete(State.DeleteRequest.newBuilder().setKey("myapp||gone").build());
    assertThat(get("myapp||gone").getData().isEmpty()).isTrue();
    state.delete(State.DeleteRequest.newBuilder().setKey("myapp||gone").build());
  }

  @Test
  void bulkSetBulkGetAndBulkDelete() {
    State.BulkSetRequest.Builder bulk = State.BulkSetRequest.newBuilder();
    for (int i = 0; i < 7; i++) {
      bulk.addItems(setRequest("myapp||bulk-" + i, utf8("{\"n\":" + i + "}"), null));
    }
    state.bulkSet(bulk.build());
    for (int i = 0; i < 7; i++) {
      assertThat(get("myapp||bulk-" + i).getData().toStringUtf8()).isEqualTo("{\"n\":" + i + "}");
    }
    State.BulkGetResponse got =
        state.bulkGet(
            State.BulkGetRequest.newBuilder()
                .addItems(State.GetRequest.newBuilder().setKey("myapp||doesnotexist"))
                .addItems(State.GetRequest.newBuilder().setKey("myapp||bulk-3"))
                .build());
    assertThat(got.getItemsList())
        .extracting(State.BulkStateItem::getKey)
        .containsExactly("myapp||doesnotexist", "myapp||bulk-3");
    assertThat(got.getItems(0).getData().isEmpty()).isTrue();
    assertThat(got.getItems(0).getError()).isEmpty();
    assertThat(got.getItems(1).getData().toStringUtf8()).isEqualTo("{\"n\":3}");
    assertThat(got.getItems(1).getEtag().getValue()).isNotEmpty();

    state.bulkDelete(
        State.BulkDeleteRequest.newBuilder()
            .addItems(State.DeleteRequest.newBuilder().setKey("myapp||bulk-0"))
            .addItems(State.DeleteRequest.newBuilder().setKey("myapp||bulk-1"))
            .build());
    assertThat(get("myapp||bulk-0").getData().isEmpty()).isTrue();
    assertThat(get("myapp||bulk-1").getData().isEmpty()).isTrue();
    assertThat(get("myapp||bulk-2").getData().isEmpty()).isFalse();
  }

  @Test
  void etagsGuardWritesWithTheErrorShapeDaprdRecognises() {
    set("myapp||guarded", utf8("1"), null);
    String etag = get("myapp||guarded").getEtag().getValue();
    assertThat(etag).isNotEmpty();

    assertEtagError(
        () -> set("myapp||guarded", utf8("2"), "9999999999"), Status.Code.FAILED_PRECONDITION);
    assertEtagError(
        () -> set("myapp||guarded", utf8("2"), "bad-etag"), Status.Code.INVALID_ARGUMENT);
    assertThat(get("myapp||guarded").getData().toStringUtf8()).isEqualTo("1");

    set("myapp||guarded", utf8("2"), etag);
    String newEtag = get("myapp||guarded").getEtag().getValue();
    assertThat(newEtag).isNotEqualTo(etag);
    assertEtagError(() -> set("myapp||guarded", utf8("3"), etag), Status.Code.FAILED_PRECONDITION);

    assertEtagError(
        () ->
            state.delete(
                State.DeleteRequest.newBuilder()
                    .setKey("myapp||guarded")
                    .setEtag(etag(etag))
                    .build()),
        Status.Code.FAILED_PRECONDITION);
    state.delete(
        State.DeleteRequest.newBuilder().setKey("myapp||guarded").setEtag(etag(newEtag)).build());
    State.GetResponse deleted = get("myapp||guarded");
    assertThat(deleted.getData().isEmpty()).isTrue();
    assertThat(deleted.hasEtag()).isFalse();
    assertEtagError(
        () -> set("myapp||guarded", utf8("4"), newEtag), Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void firstWriteConcurrencyWithoutAnEtagInsertsOnlyOnce() {
    State.StateOptions firstWrite =
        State.StateOptions.newBuilder()
            .setConcurrency(State.StateOptions.StateConcurrency.CONCURRENCY_FIRST_WRITE)
            .build();
    for (String key : List.of("myapp||fw-absent", "myapp||fw-empty")) {
      State.SetRequest.Builder request =
          setRequest(key, utf8("1"), null).toBuilder().setOptions(firstWrite);
      if (key.endsWith("empty")) {
        request.setEtag(etag(""));
      }
      state.set(request.build());
      assertEtagError(() -> state.set(request.build()), Status.Code.FAILED_PRECONDITION);
    }
    String current = get("myapp||fw-absent").getEtag().getValue();
    state.set(
        setRequest("myapp||fw-absent", utf8("2"), current).toBuilder()
            .setOptions(firstWrite)
            .build());
    assertEtagError(
        () ->
            state.set(
                setRequest("myapp||fw-absent", utf8("3"), current).toBuilder()
                    .setOptions(firstWrite)
                    .build()),
        Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void transactionsApplyInOrderAndAllOrNothing() {
    set("myapp||k1", utf8("1"), null);
    sidecar
        .daprd()
        .transactions(STORE)
        .transact(
            State.TransactionalStateRequest.newBuilder()
                .addOperations(delete("myapp||k1"))
                .addOperations(setOp("myapp||k2", "2"))
                .addOperations(delete("myapp||k2"))
                .addOperations(setOp("myapp||k3", "3"))
                .addOperations(delete("myapp||never-existed"))
                .build());
    assertThat(get("myapp||k1").getData().isEmpty()).isTrue();
    assertThat(get("myapp||k2").getData().isEmpty()).isTrue();
    assertThat(get("myapp||k3").getData().toStringUtf8()).isEqualTo("3");

    assertThatThrownBy(
            () ->
                sidecar
                    .daprd()
                    .transactions(STORE)
                    .transact(
                        State.TransactionalStateRequest.newBuilder()
                            .addOperations(setOp("myapp||k4", "4"))
                            .addOperations(
                                State.TransactionalStateOperation.newBuilder()
                                    .setSet(setRequest("myapp||k3", utf8("x"), "9999999999")))
                            .build()))
        .isInstanceOf(StatusRuntimeException.class);
    assertThat(get("myapp||k4").getData().isEmpty())
        .as("nothing of a failed transaction is applied")
        .isTrue();
    assertThat(get("myapp||k3").getData().toStringUtf8()).isEqualTo("3");

    assertThat(
            sidecar
                .daprd()
                .multiMaxSize(STORE)
                .multiMaxSize(State.MultiMaxSizeRequest.getDefaultInstance())
                .getMaxSize())
        .isEqualTo(1000);
  }

  @Test
  void ttlExpiresKeysReportsTheExpiryTimeAndRejectsBadValues() {
    assertThatThrownBy(
            () ->
                state.set(
                    setRequest("myapp||ttl", utf8("1"), null).toBuilder()
                        .putMetadata("ttlInSeconds", "foo")
                        .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

    state.set(
        setRequest("myapp||ttl", utf8("1"), null).toBuilder()
            .putMetadata("ttlInSeconds", "3600")
            .build());
    assertThat(get("myapp||ttl").getMetadataMap()).containsKey("ttlExpireTime");
    state.set(
        setRequest("myapp||ttl", utf8("1"), null).toBuilder()
            .putMetadata("ttlInSeconds", "-1")
            .build());
    assertThat(get("myapp||ttl").getMetadataMap()).doesNotContainKey("ttlExpireTime");

    state.set(
        setRequest("myapp||ttl", utf8("1"), null).toBuilder()
            .putMetadata("ttlInSeconds", "1")
            .build());
    assertThat(get("myapp||ttl").getData().toStringUtf8()).isEqualTo("1");
    await().atMost(Duration.ofSeconds(5)).until(() -> get("myapp||ttl").getData().isEmpty());
  }

  @Test
  void queriesUseDaprdsWireEncodingWithSortingAndPaging() {
    for (int i = 0; i < 5; i++) {
      set(
          "myapp||q-" + i,
          utf8(
              "{\"product\":{\"value\":"
                  + i
                  + "},\"status\":\""
                  + (i % 2 == 0 ? "ACTIVE" : "INACTIVE")
                  + "\"}"),
          null);
    }
    set("myapp||q-raw", new byte[] {0x01}, null);
    State.Query.Builder query =
        State.Query.newBuilder()
            .putFilter(
                "OR",
                jsonAny("[{\"EQ\":{\"status\":\"ACTIVE\"}},{\"IN\":{\"product.value\":[1]}}]"))
            .addSort(
                State.Sorting.newBuilder()
                    .setKey("product.value")
                    .setOrder(State.Sorting.Order.DESC))
            .setPagination(State.Pagination.newBuilder().setLimit(2));
    State.QueryResponse first =
        sidecar.daprd().query(STORE).query(State.QueryRequest.newBuilder().setQuery(query).build());
    assertThat(first.getItemsList())
        .extracting(State.QueryItem::getKey)
        .containsExactly("myapp||q-4", "myapp||q-2");
    assertThat(first.getToken()).isNotEmpty();
    query.setPagination(State.Pagination.newBuilder().setLimit(2).setToken(first.getToken()));
    State.QueryResponse second =
        sidecar.daprd().query(STORE).query(State.QueryRequest.newBuilder().setQuery(query).build());
    assertThat(second.getItemsList())
        .extracting(State.QueryItem::getKey)
        .containsExactly("myapp||q-1", "myapp||q-0");

    assertThatThrownBy(
            () ->
                sidecar
                    .daprd()
                    .query(STORE)
                    .query(
                        State.QueryRequest.newBuilder()
                            .setQuery(State.Query.newBuilder().putFilter("LIKE", jsonAny("{}")))
                            .build()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void aDeviceWatchesAKeyChangeAndDaprReadsWhatADevicePublishedRetained() throws Exception {
    Mqtt5BlockingClient device =
        Mqtt5Client.builder()
            .identifier("lamp-watcher")
            .serverHost("127.0.0.1")
            .serverPort(sidecar.mqttPort())
            .buildBlocking();
    device.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
        device.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      device
          .subscribeWith()
          .topicFilter("$dapr/state/" + STORE + "/myapp||devices/#")
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      set("myapp||devices/lamp", utf8("{\"on\":true}"), null);
      Mqtt5Publish seen = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(seen.getTopic().toString())
          .isEqualTo("$dapr/state/" + STORE + "/myapp||devices/lamp");
      assertThat(new String(seen.getPayloadAsBytes(), StandardCharsets.UTF_8))
          .isEqualTo("{\"on\":true}");

      device
          .publishWith()
          .topic("$dapr/state/" + STORE + "/myapp||devices/fan")
          .payload(utf8("42"))
          .retain(true)
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
      State.GetResponse fan = get("myapp||devices/fan");
      assertThat(fan.getData().toStringUtf8()).isEqualTo("42");
      assertThat(fan.getEtag().getValue()).isNotEmpty();
    } finally {
      device.disconnect();
    }
  }

  @Test
  void twentyCallersRacingCompareAndSetOnOneKeyLoseNoUpdate() throws Exception {
    set("myapp||counter", utf8("0"), null);
    int threads = 20;
    int incrementsEach = 10;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    java.util.concurrent.atomic.AtomicInteger conflicts =
        new java.util.concurrent.atomic.AtomicInteger();
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < incrementsEach; ) {
                    State.GetResponse current = get("myapp||counter");
                    int next = Integer.parseInt(current.getData().toStringUtf8()) + 1;
                    try {
                      set(
                          "myapp||counter",
                          utf8(Integer.toString(next)),
                          current.getEtag().getValue());
                      i++;
                    } catch (StatusRuntimeException e) {
                      assertThat(e.getStatus().getCode())
                          .isEqualTo(Status.Code.FAILED_PRECONDITION);
                      conflicts.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(get("myapp||counter").getData().toStringUtf8())
        .isEqualTo(Integer.toString(threads * incrementsEach));
    assertThat(conflicts.get()).as("the callers really raced").isPositive();
  }

  @Test
  void keysWithEverySpecialCharacterRoundTripAndAreValidTopics() throws Exception {
    List<String> keys =
        List.of(
            "myapp||a+b#c%d",
            "myapp||nul\u0000inside",
            "myapp||slash/level//empty/",
            "myapp||$dollar and space",
            "myapp||unicode-\u00e9\u6f22\ud83d\ude00",
            "myapp||ctrl\u0001\u007f",
            "myapp||");
    for (String key : keys) {
      set(key, utf8("\"" + key.length() + "\""), null);
    }
    for (String key : keys) {
      assertThat(get(key).getData().toStringUtf8()).as(key).isEqualTo("\"" + key.length() + "\"");
    }
    State.QueryResponse all =
        sidecar
            .daprd()
            .query(STORE)
            .query(State.QueryRequest.newBuilder().setQuery(State.Query.newBuilder()).build());
    assertThat(all.getItemsList()).extracting(State.QueryItem::getKey).containsAll(keys);
  }

  @Test
  void aTtlExpiresForDevicesToo() throws Exception {
    state.set(
        setRequest("myapp||short-lived", utf8("1"), null).toBuilder()
            .putMetadata("ttlInSeconds", "1")
            .build());
    String topic = "$dapr/state/" + STORE + "/myapp||short-lived";
    Mqtt5BlockingClient device =
        Mqtt5Client.builder()
            .identifier("ttl-watcher")
            .serverHost("127.0.0.1")
            .serverPort(sidecar.mqttPort())
            .buildBlocking();
    device.connect();
    try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
        device.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
      device.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5Publish retained = publishes.receive(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(retained.getMessageExpiryInterval()).isPresent();
      assertThat(retained.getMessageExpiryInterval().getAsLong()).isLessThanOrEqualTo(1);
      device.unsubscribeWith().topicFilter(topic).send();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> get("myapp||short-lived").getData().isEmpty());
      device.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(publishes.receive(500, TimeUnit.MILLISECONDS))
          .as("no retained message after expiry")
          .isEmpty();
    } finally {
      device.disconnect();
    }
  }

  @Test
  void twoStoresOnOneSocketAreIsolated() {
    ComponentYaml other = new ComponentYaml("other-state", "state.mqtt-sidecar", Map.of());
    sidecar.daprd().initState(other);
    set("myapp||shared-key", utf8("mine"), null);
    StateStoreGrpc.StateStoreBlockingStub otherState = sidecar.daprd().state("other-state");
    assertThat(
            otherState
                .get(State.GetRequest.newBuilder().setKey("myapp||shared-key").build())
                .getData()
                .isEmpty())
        .isTrue();
    otherState.set(setRequest("myapp||shared-key", utf8("theirs"), null));
    assertThat(get("myapp||shared-key").getData().toStringUtf8()).isEqualTo("mine");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static State.Etag etag(String value) {
    return State.Etag.newBuilder().setValue(value).build();
  }

  private static Any jsonAny(String json) {
    return Any.newBuilder().setValue(ByteString.copyFromUtf8(json)).build();
  }

  private static State.SetRequest setRequest(String key, byte[] value, String etag) {
    State.SetRequest.Builder b =
        State.SetRequest.newBuilder().setKey(key).setValue(ByteString.copyFrom(value));
    if (etag != null) {
      b.setEtag(etag(etag));
    }
    return b.build();
  }

  private static State.TransactionalStateOperation setOp(String key, String value) {
    return State.TransactionalStateOperation.newBuilder()
        .setSet(setRequest(key, utf8(value), null))
        .build();
  }

  private static State.TransactionalStateOperation delete(String key) {
    return State.TransactionalStateOperation.newBuilder()
        .setDelete(State.DeleteRequest.newBuilder().setKey(key))
        .build();
  }

  private void set(String key, byte[] value, String etag) {
    state.set(setRequest(key, value, etag));
  }

  private State.GetResponse get(String key) {
    return state.get(State.GetRequest.newBuilder().setKey(key).build());
  }

  /** daprd turns exactly this shape into an ETag error (pkg/components/state/pluggable.go). */
  private static void assertEtagError(Runnable call, Status.Code code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              com.google.rpc.Status status = StatusProto.fromThrowable(e);
              assertThat(status).isNotNull();
              assertThat(status.getDetailsList()).hasSize(1);
              assertThat(status.getDetails(0).is(BadRequest.class)).isTrue();
              try {
                BadRequest badRequest = status.getDetails(0).unpack(BadRequest.class);
                assertThat(badRequest.getFieldViolationsList()).hasSize(1);
                assertThat(badRequest.getFieldViolations(0).getField()).isEqualTo("etag");
              } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                throw new AssertionError(ex);
              }
            });
  }
}
