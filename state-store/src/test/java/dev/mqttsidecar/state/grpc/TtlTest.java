package dev.mqttsidecar.state.grpc;

import static dev.mqttsidecar.state.grpc.GrpcHarness.setRequest;
import static dev.mqttsidecar.state.grpc.StateCrudTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dapr.proto.components.v1.State;
import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** TTL: ttlInSeconds becomes the retained message's expiry; ttlExpireTime comes back on reads. */
class TtlTest extends HarnessTestBase {

  @Test
  void aNonIntegerTtlIsInvalid() {
    var e =
        failure(
            () ->
                store.state().set(setRequest("k", "v").putMetadata("ttlInSeconds", "foo").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("ttlInSeconds");
    assertThat(store.get("k").getData()).isEmpty();
  }

  @Test
  void aValueWithTtlExpires() {
    store.state().set(setRequest("k", "v").putMetadata("ttlInSeconds", "2").build());
    // The clock starts at 05:06:07.890; RFC 3339 in whole seconds, UTC, as Dapr's stores write it.
    assertThat(store.get("k").getMetadataMap())
        .containsEntry("ttlExpireTime", "2026-03-04T05:06:09Z");
    clock.advance(Duration.ofMillis(1900));
    assertThat(store.text("k")).isEqualTo("v");
    clock.advance(Duration.ofMillis(200));
    assertThat(store.get("k").getData()).isEmpty();
    assertThat(store.get("k").hasEtag()).isFalse();
  }

  @Test
  void aNonPositiveOrMissingTtlClearsAnEarlierOne() {
    store.state().set(setRequest("k", "v").putMetadata("ttlInSeconds", "3600").build());
    assertThat(store.get("k").getMetadataMap())
        .containsEntry("ttlExpireTime", "2026-03-04T06:06:07Z");
    store.state().set(setRequest("k", "v").putMetadata("ttlInSeconds", "-1").build());
    assertThat(store.get("k").getMetadataMap()).doesNotContainKey("ttlExpireTime");

    store.state().set(setRequest("k", "v").putMetadata("ttlInSeconds", "3600").build());
    store.state().set(setRequest("k", "v").build());
    assertThat(store.get("k").getMetadataMap()).doesNotContainKey("ttlExpireTime");
    clock.advance(Duration.ofDays(2));
    assertThat(store.text("k")).isEqualTo("v");
  }

  @Test
  void bulkGetReturnsTheExpireTime() {
    store.state().set(setRequest("a", "v").putMetadata("ttlInSeconds", "60").build());
    store.set("b", "v");
    State.BulkGetResponse r =
        store
            .state()
            .bulkGet(
                State.BulkGetRequest.newBuilder()
                    .addItems(State.GetRequest.newBuilder().setKey("a"))
                    .addItems(State.GetRequest.newBuilder().setKey("b"))
                    .build());
    assertThat(r.getItems(0).getMetadataMap())
        .containsEntry("ttlExpireTime", "2026-03-04T05:07:07Z");
    assertThat(r.getItems(1).getMetadataMap()).doesNotContainKey("ttlExpireTime");
  }

  @Test
  void transactionSetsCarryTheirOwnTtl() {
    store
        .tx()
        .transact(
            State.TransactionalStateRequest.newBuilder()
                .addOperations(
                    State.TransactionalStateOperation.newBuilder()
                        .setSet(setRequest("short", "v").putMetadata("ttlInSeconds", "1")))
                .addOperations(GrpcHarness.txSet("long", "v"))
                .build());
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.get("short").getData()).isEmpty();
    assertThat(store.text("long")).isEqualTo("v");
  }
}
