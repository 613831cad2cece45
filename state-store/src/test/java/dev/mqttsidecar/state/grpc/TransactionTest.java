package dev.mqttsidecar.state.grpc;

import static dev.mqttsidecar.state.grpc.GrpcHarness.etag;
import static dev.mqttsidecar.state.grpc.GrpcHarness.setRequest;
import static dev.mqttsidecar.state.grpc.GrpcHarness.txDelete;
import static dev.mqttsidecar.state.grpc.GrpcHarness.txSet;
import static dev.mqttsidecar.state.grpc.StateCrudTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dapr.proto.components.v1.State;
import dev.mqttsidecar.broker.Message;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dapr's transaction conformance cases, plus atomicity and the MultiMaxSize limit. */
class TransactionTest extends HarnessTestBase {

  @Test
  void groupedSetsThenDeletes() {
    transact(
        txSet("trx-int", "123"), txSet("trx-bool", "true"), txSet("trx-del", "\"to be deleted\""));
    assertThat(store.text("trx-int")).isEqualTo("123");
    assertThat(store.text("trx-del")).isEqualTo("\"to be deleted\"");
    transact(txSet("trx-struct", "{\"message\":\"test\"}"), txDelete("trx-del"));
    assertThat(store.get("trx-del").getData()).isEmpty();
    assertThat(store.text("trx-struct")).isEqualTo("{\"message\":\"test\"}");
  }

  @Test
  void deletingAMissingKeySucceeds() {
    transact(txDelete("missing"));
    transact(txSet("a", "1"), txDelete("missing-too"));
    assertThat(store.text("a")).isEqualTo("1");
  }

  @Test
  void operationsApplyInOrder() {
    store.set("key1", "\"value1\"");
    store.state().delete(GrpcHarness.deleteRequest("key2").build());
    store.state().delete(GrpcHarness.deleteRequest("key3").build());
    transact(
        txDelete("key1"),
        txSet("key2", "\"value2\""),
        txDelete("key2"),
        txSet("key3", "\"value3\""));
    assertThat(store.get("key1").getData()).isEmpty();
    assertThat(store.get("key2").getData()).isEmpty();
    assertThat(store.text("key3")).isEqualTo("\"value3\"");
  }

  @Test
  void jsonWithAndWithoutContentTypeRoundTrips() {
    String json = "{\"message\":\"hello\",\"n\":1}";
    transact(
        State.TransactionalStateOperation.newBuilder()
            .setSet(setRequest("with-ct", json).putMetadata("contentType", "application/json"))
            .build(),
        txSet("without-ct", json));
    assertThat(store.text("with-ct")).isEqualTo(json);
    assertThat(store.get("with-ct").getContentType()).isEqualTo("application/json");
    assertThat(store.text("without-ct")).isEqualTo(json);
    assertThat(store.get("without-ct").getContentType()).isEmpty();
  }

  @Test
  void aFailingEtagAbortsEverything() {
    String stale = store.set("guarded", "v1");
    store.set("guarded", "v2");
    var e =
        failure(
            () ->
                transact(
                    txSet("other", "x"),
                    txDelete("guarded-too"),
                    State.TransactionalStateOperation.newBuilder()
                        .setSet(setRequest("guarded", "v3").setEtag(etag(stale)))
                        .build()));
    GrpcHarness.assertEtagError(e, Status.Code.FAILED_PRECONDITION);
    assertThat(store.get("other").getData()).isEmpty();
    assertThat(store.text("guarded")).isEqualTo("v2");
  }

  @Test
  void etagsReferToTheStateBeforeTheTransaction() {
    String current = store.set("k", "v1");
    transact(
        txSet("k", "v2"),
        State.TransactionalStateOperation.newBuilder()
            .setDelete(GrpcHarness.deleteRequest("k").setEtag(etag(current)))
            .build(),
        txSet("k", "v3"));
    assertThat(store.text("k")).isEqualTo("v3");
  }

  @Test
  void subscribersSeeTheFinalValues() {
    List<Message> seen = new ArrayList<>();
    retained.onPublish(seen::add);
    transact(txSet("a", "1"), txSet("a", "2"), txSet("b", "x"), txDelete("b"));
    assertThat(seen)
        .extracting(m -> m.topic() + "=" + new String(m.payload(), StandardCharsets.UTF_8))
        .containsExactly("$dapr/state/store/a=2", "$dapr/state/store/b=");
  }

  @Test
  void multiMaxSizeReportsAndEnforcesTheConfiguredLimit() {
    assertThat(
            store
                .multiMax()
                .multiMaxSize(State.MultiMaxSizeRequest.getDefaultInstance())
                .getMaxSize())
        .isEqualTo(1000);
    GrpcHarness.Client small = harness.init("small", Map.of("maxTransactionOperations", "2"));
    assertThat(
            small
                .multiMax()
                .multiMaxSize(State.MultiMaxSizeRequest.getDefaultInstance())
                .getMaxSize())
        .isEqualTo(2);
    var e =
        failure(
            () ->
                small
                    .tx()
                    .transact(
                        State.TransactionalStateRequest.newBuilder()
                            .addOperations(txSet("a", "1"))
                            .addOperations(txSet("b", "1"))
                            .addOperations(txSet("c", "1"))
                            .build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("maxTransactionOperations");
  }

  @Test
  void anEmptyOperationIsInvalid() {
    var e = failure(() -> transact(State.TransactionalStateOperation.getDefaultInstance()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  private void transact(State.TransactionalStateOperation... ops) {
    store
        .tx()
        .transact(
            State.TransactionalStateRequest.newBuilder()
                .addAllOperations(List.of(ops))
                .putMetadata("partitionKey", "myPartition")
                .build());
  }
}
