package dev.mqttsidecar.component.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dapr.proto.components.v1.State;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cases of Dapr's state conformance suite (components-contrib tests/conformance/state), sent by
 * a fake daprd over the sidecar's real Unix socket to the real embedded broker.
 */
class StateStoreOverSocketTest extends StateSocketTestBase {

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
}
