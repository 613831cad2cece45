package dev.mqttsidecar.state.grpc;

import static dev.mqttsidecar.state.grpc.GrpcHarness.assertEtagError;
import static dev.mqttsidecar.state.grpc.GrpcHarness.deleteRequest;
import static dev.mqttsidecar.state.grpc.GrpcHarness.etag;
import static dev.mqttsidecar.state.grpc.GrpcHarness.firstWrite;
import static dev.mqttsidecar.state.grpc.GrpcHarness.setRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dapr.proto.components.v1.State;
import io.dapr.v1.ComponentProtos;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The set/get/delete/bulk/etag/first-write cases of Dapr's state conformance suite. */
class StateCrudTest extends HarnessTestBase {

  @Test
  void featuresAndPing() {
    assertThat(
            store
                .state()
                .features(ComponentProtos.FeaturesRequest.getDefaultInstance())
                .getFeaturesList())
        .containsExactlyInAnyOrder("ETAG", "TRANSACTIONAL", "TTL", "QUERY_API");
    store.state().ping(ComponentProtos.PingRequest.getDefaultInstance());
  }

  @ParameterizedTest
  @ValueSource(strings = {"123", "true", "\"{\\\"a\\\":\\\"b\\\"}\"", "\"hello world\"", "\"\""})
  void setThenGetReturnsTheExactBytes(String json) {
    store.set("app||k", json);
    State.GetResponse r = store.get("app||k");
    assertThat(r.getData().toStringUtf8()).isEqualTo(json);
    assertThat(r.getEtag().getValue()).isNotEmpty();
    assertThat(r.getMetadataMap()).doesNotContainKey("ttlExpireTime");
  }

  @Test
  void bytesAndContentTypeRoundTrip() {
    byte[] proto = {0x01, 0x00, (byte) 0xFF, 0x0A, (byte) 0x80};
    store
        .state()
        .set(
            State.SetRequest.newBuilder().setKey("b").setValue(ByteString.copyFrom(proto)).build());
    assertThat(store.get("b").getData().toByteArray()).isEqualTo(proto);

    store
        .state()
        .set(
            setRequest("j", "{\"message\":\"m\"}")
                .putMetadata("contentType", "application/json")
                .build());
    assertThat(store.get("j").getContentType()).isEqualTo("application/json");
    store.state().set(setRequest("j2", "{}").setContentType("text/x-json").build());
    assertThat(store.get("j2").getContentType()).isEqualTo("text/x-json");
  }

  @Test
  void getOfAMissingKeyIsOkAndEmpty() {
    State.GetResponse r = store.get("nope");
    assertThat(r.getData()).isEmpty();
    assertThat(r.hasEtag()).isFalse();
    assertThat(r.getContentType()).isEmpty();
  }

  @Test
  void deleteThenGetIsEmptyAndDeletingAMissingKeySucceeds() {
    store.set("d", "\"to be deleted\"");
    store.state().delete(deleteRequest("d").build());
    assertThat(store.get("d").getData()).isEmpty();
    assertThat(store.get("d").hasEtag()).isFalse();
    store.state().delete(deleteRequest("never-there").build());
  }

  @Test
  void bulkSetGetDelete() {
    State.BulkSetRequest.Builder bulk = State.BulkSetRequest.newBuilder();
    for (int i = 0; i < 7; i++) {
      bulk.addItems(setRequest("bulk-" + i, "\"v" + i + "\""));
    }
    store.state().bulkSet(bulk.build());
    for (int i = 0; i < 7; i++) {
      assertThat(store.text("bulk-" + i)).isEqualTo("\"v" + i + "\"");
    }
    State.BulkGetResponse got =
        store
            .state()
            .bulkGet(
                State.BulkGetRequest.newBuilder()
                    .addItems(State.GetRequest.newBuilder().setKey("doesnotexist"))
                    .addItems(State.GetRequest.newBuilder().setKey("bulk-3"))
                    .build());
    assertThat(got.getItemsList())
        .extracting(State.BulkStateItem::getKey)
        .containsExactly("doesnotexist", "bulk-3");
    assertThat(got.getItems(0).getData()).isEmpty();
    assertThat(got.getItems(0).getError()).isEmpty();
    assertThat(got.getItems(0).hasEtag()).isFalse();
    assertThat(got.getItems(1).getData().toStringUtf8()).isEqualTo("\"v3\"");
    assertThat(got.getItems(1).getEtag().getValue()).isEqualTo(store.etagOf("bulk-3"));

    store
        .state()
        .bulkDelete(
            State.BulkDeleteRequest.newBuilder()
                .addItems(deleteRequest("bulk-5"))
                .addItems(deleteRequest("bulk-6"))
                .build());
    assertThat(store.get("bulk-5").getData()).isEmpty();
    assertThat(store.get("bulk-6").getData()).isEmpty();
    assertThat(store.get("bulk-4").getData()).isNotEmpty();
  }

  @Test
  void etagConcurrency() {
    String first = store.set("etagTest", "testValue1");
    assertThat(first).isNotEmpty();

    StatusRuntimeException mismatch =
        failure(
            () ->
                store
                    .state()
                    .set(setRequest("etagTest", "testValue2").setEtag(etag("9999999")).build()));
    assertEtagError(mismatch, Status.Code.FAILED_PRECONDITION);
    StatusRuntimeException invalid =
        failure(
            () -> store.state().set(setRequest("etagTest", "x").setEtag(etag("bad-etag")).build()));
    assertEtagError(invalid, Status.Code.INVALID_ARGUMENT);
    assertThat(store.text("etagTest")).isEqualTo("testValue1");

    store.state().set(setRequest("etagTest", "testValue2").setEtag(etag(first)).build());
    String second = store.etagOf("etagTest");
    assertThat(second).isNotEqualTo(first);
    assertThat(store.text("etagTest")).isEqualTo("testValue2");

    assertEtagError(
        failure(() -> store.state().delete(deleteRequest("etagTest").setEtag(etag(first)).build())),
        Status.Code.FAILED_PRECONDITION);
    assertEtagError(
        failure(
            () ->
                store
                    .state()
                    .delete(deleteRequest("etagTest").setEtag(etag("not-an-etag")).build())),
        Status.Code.INVALID_ARGUMENT);
    store.state().delete(deleteRequest("etagTest").setEtag(etag(second)).build());
    assertThat(store.get("etagTest").hasEtag()).isFalse();

    // An ETag on a missing key is a mismatch; an empty ETag is no ETag.
    assertEtagError(
        failure(() -> store.state().set(setRequest("etagTest", "v").setEtag(etag(second)).build())),
        Status.Code.FAILED_PRECONDITION);
    store.state().set(setRequest("etagTest", "v").setEtag(etag("")).build());
  }

  @Test
  void bulkSetAppliesEveryValidItemAndReportsTheEtagFailure() {
    String e0 = store.set("k0", "a");
    store.set("k1", "a");
    StatusRuntimeException e =
        failure(
            () ->
                store
                    .state()
                    .bulkSet(
                        State.BulkSetRequest.newBuilder()
                            .addItems(setRequest("k0", "b").setEtag(etag(e0)))
                            .addItems(setRequest("k1", "b").setEtag(etag("12345678")))
                            .addItems(setRequest("k2", "b"))
                            .build()));
    assertEtagError(e, Status.Code.FAILED_PRECONDITION);
    assertThat(List.of(store.text("k0"), store.text("k1"), store.text("k2")))
        .containsExactly("b", "a", "b");

    String e2 = store.etagOf("k2");
    StatusRuntimeException d =
        failure(
            () ->
                store
                    .state()
                    .bulkDelete(
                        State.BulkDeleteRequest.newBuilder()
                            .addItems(deleteRequest("k0").setEtag(etag("1234567")))
                            .addItems(deleteRequest("k2").setEtag(etag(e2)))
                            .build()));
    assertEtagError(d, Status.Code.FAILED_PRECONDITION);
    assertThat(store.get("k0").getData()).isNotEmpty();
    assertThat(store.get("k2").getData()).isEmpty();
  }

  @Test
  void firstWriteWithoutEtagIsInsertOnly() {
    for (State.Etag noEtag : new State.Etag[] {null, etag("")}) {
      String key = "fw-" + (noEtag == null ? "absent" : "empty");
      State.SetRequest.Builder req = setRequest(key, "testValue1").setOptions(firstWrite());
      if (noEtag != null) {
        req.setEtag(noEtag);
      }
      store.state().set(req.build());
      assertEtagError(
          failure(() -> store.state().set(req.setValue(GrpcHarness.utf8("testValue2")).build())),
          Status.Code.FAILED_PRECONDITION);
      assertThat(store.text(key)).isEqualTo("testValue1");
    }
  }

  @Test
  void firstWriteWithEtag() {
    String first = store.set("fwe", "v1");
    store
        .state()
        .set(setRequest("fwe", "v2").setEtag(etag(first)).setOptions(firstWrite()).build());
    String second = store.etagOf("fwe");
    assertThat(second).isNotEqualTo(first);
    assertEtagError(
        failure(
            () ->
                store
                    .state()
                    .set(
                        setRequest("fwe", "v3")
                            .setEtag(etag(first))
                            .setOptions(firstWrite())
                            .build())),
        Status.Code.FAILED_PRECONDITION);
    assertThat(store.text("fwe")).isEqualTo("v2");
  }

  @Test
  void valuesUpToMaxValueBytesRoundTripAndLargerOnesAreInvalid() {
    byte[] big = new byte[4 * 1024 * 1024];
    new java.util.Random(7).nextBytes(big);
    store
        .state()
        .set(
            State.SetRequest.newBuilder().setKey("big").setValue(ByteString.copyFrom(big)).build());
    assertThat(store.get("big").getData().toByteArray()).isEqualTo(big);

    byte[] tooBig = new byte[big.length + 1];
    StatusRuntimeException e =
        failure(
            () ->
                store
                    .state()
                    .set(
                        State.SetRequest.newBuilder()
                            .setKey("big")
                            .setValue(ByteString.copyFrom(tooBig))
                            .build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("maxValueBytes");
  }

  @Test
  void emptyValuesAreInvalidBecauseTheyWouldDeleteTheRetainedMessage() {
    StatusRuntimeException e =
        failure(() -> store.state().set(State.SetRequest.newBuilder().setKey("e").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void aContentTypeMqttCannotCarryIsInvalidAndNothingIsStored() {
    // The retained message reaches MQTT subscribers, for whom U+0000 is malformed [MQTT-1.5.4-2].
    StatusRuntimeException e =
        failure(
            () ->
                store
                    .state()
                    .set(setRequest("c", "{}").setContentType("text/plain\u0000").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("content type of key 'c' contains U+0000, which MQTT does not allow");
    assertThat(store.get("c").getData().isEmpty()).isTrue();
  }

  @Test
  void storageFailureIsNotReportedAsSuccess() {
    retained.failStorage(true);
    StatusRuntimeException e = failure(() -> store.set("k", "v"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void anOverloadedStoreIsResourceExhaustedSoTheCallerRetries() {
    retained.overloadStorage();
    StatusRuntimeException e = failure(() -> store.set("k", "v"));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).contains("retry");
  }

  static StatusRuntimeException failure(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("expected the call to fail").isNotNull();
    return e;
  }
}
