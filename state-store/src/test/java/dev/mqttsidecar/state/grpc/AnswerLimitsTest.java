package dev.mqttsidecar.state.grpc;

import static dev.mqttsidecar.state.grpc.GrpcHarness.setRequest;
import static dev.mqttsidecar.state.grpc.StateCrudTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dapr.proto.components.v1.State;
import io.grpc.Status;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bulk calls and queries have item and byte bounds, and say which one a request hit. */
class AnswerLimitsTest extends HarnessTestBase {
  private static final String PAD = "x".repeat(400);
  private GrpcHarness.Client bounded;

  @BeforeEach
  void seed() {
    bounded = harness.init("bounded", Map.of("maxBulkItems", "3", "maxResponseBytes", "1024"));
    for (int i = 0; i < 4; i++) {
      bounded.set("k" + i, "{\"n\":" + i + ",\"pad\":\"" + PAD + "\"}");
    }
  }

  @Test
  void bulkCallsOverMaxBulkItemsAreInvalidArgument() {
    State.BulkGetRequest.Builder get = State.BulkGetRequest.newBuilder();
    State.BulkSetRequest.Builder set = State.BulkSetRequest.newBuilder();
    State.BulkDeleteRequest.Builder delete = State.BulkDeleteRequest.newBuilder();
    for (int i = 0; i < 4; i++) {
      get.addItems(State.GetRequest.newBuilder().setKey("k" + i));
      set.addItems(setRequest("n" + i, "v"));
      delete.addItems(GrpcHarness.deleteRequest("k" + i));
    }
    for (Runnable call :
        new Runnable[] {
          () -> bounded.state().bulkGet(get.build()),
          () -> bounded.state().bulkSet(set.build()),
          () -> bounded.state().bulkDelete(delete.build())
        }) {
      var e = failure(call);
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(e.getStatus().getDescription()).contains("4 items", "maxBulkItems (3)");
    }
    assertThat(bounded.text("k3")).contains(PAD); // nothing was deleted
    assertThat(bounded.get("n0").getData()).isEmpty(); // nothing was set
  }

  @Test
  void aBulkGetOverMaxResponseBytesIsResourceExhausted() {
    State.BulkGetRequest.Builder three = State.BulkGetRequest.newBuilder();
    for (int i = 0; i < 3; i++) {
      three.addItems(State.GetRequest.newBuilder().setKey("k" + i));
    }
    var e = failure(() -> bounded.state().bulkGet(three.build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).contains("maxResponseBytes (1024");
    State.BulkGetRequest.Builder two = State.BulkGetRequest.newBuilder();
    for (int i = 0; i < 2; i++) {
      two.addItems(State.GetRequest.newBuilder().setKey("k" + i));
    }
    assertThat(bounded.state().bulkGet(two.build()).getItemsCount()).isEqualTo(2);
  }

  @Test
  void queriesArePagedWithinTheBounds() {
    var unpaged = failure(() -> bounded.query().query(query(0)));
    assertThat(unpaged.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(unpaged.getStatus().getDescription()).contains("maxResponseBytes", "page.limit");

    var tooLong = failure(() -> bounded.query().query(query(4)));
    assertThat(tooLong.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(tooLong.getStatus().getDescription()).contains("maxBulkItems (3)");

    State.QueryResponse first = bounded.query().query(query(2));
    assertThat(first.getItemsList())
        .extracting(State.QueryItem::getKey)
        .containsExactly("k3", "k2");
    State.QueryResponse second =
        bounded
            .query()
            .query(
                State.QueryRequest.newBuilder()
                    .setQuery(query(2).getQuery().toBuilder().setPagination(page(2, first)))
                    .build());
    assertThat(second.getItemsList())
        .extracting(State.QueryItem::getKey)
        .containsExactly("k1", "k0");
  }

  private static State.Pagination page(long limit, State.QueryResponse after) {
    return State.Pagination.newBuilder().setLimit(limit).setToken(after.getToken()).build();
  }

  /** Every key, by n descending. */
  private static State.QueryRequest query(long limit) {
    return State.QueryRequest.newBuilder()
        .setQuery(
            State.Query.newBuilder()
                .putFilter(
                    "GTE", Any.newBuilder().setValue(ByteString.copyFromUtf8("{\"n\":0}")).build())
                .addSort(State.Sorting.newBuilder().setKey("n").setOrder(State.Sorting.Order.DESC))
                .setPagination(State.Pagination.newBuilder().setLimit(limit)))
        .build();
  }
}
