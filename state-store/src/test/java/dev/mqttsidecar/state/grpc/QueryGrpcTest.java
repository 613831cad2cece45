package dev.mqttsidecar.state.grpc;

import static dev.mqttsidecar.state.grpc.StateCrudTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dapr.proto.components.v1.State;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Queries as daprd sends them: filter map operator -> Any{type_url "", value = operand JSON}. */
class QueryGrpcTest extends HarnessTestBase {
  private static final String K = "c0ffee";

  @BeforeEach
  void seed() {
    store.set(K + "-struct", "{\"message\":\"test" + K + "\"}");
    store.set(K + "-struct-2", "{\"message\":\"" + K + "test\"}");
    store.set(
        K + "-struct-operations",
        "{\"product\":{\"value\":15}, \"status\":\"ACTIVE\",\"message\":\"" + K + "message\"}");
    store.set(
        K + "-struct-operations-inactive",
        "{\"product\":{\"value\":12}, \"status\":\"INACTIVE\",\"message\":\"" + K + "message\"}");
    store.set(K + "-int", "123");
    store.set(K + "-string", "\"hello world\"");
    store
        .state()
        .set(
            State.SetRequest.newBuilder()
                .setKey(K + "-bytes")
                .setValue(com.google.protobuf.ByteString.copyFrom(new byte[] {1}))
                .build());
  }

  @Test
  void orOfEqAndIn() {
    assertThat(
            keys(
                query(
                    filter(
                        "OR",
                        "[{\"EQ\":{\"message\":\"dummy\"}},{\"IN\":{\"message\":[\"test"
                            + K
                            + "\",\"dummy\"]}}]"))))
        .containsExactly(K + "-struct");
  }

  @Test
  void andOfEqGteLtNeq() {
    State.QueryResponse r =
        query(
            filter(
                "AND",
                "[{\"EQ\":{\"message\":\""
                    + K
                    + "message\"}},{\"GTE\":{\"product.value\":10}},"
                    + "{\"LT\":{\"product.value\":20}},{\"NEQ\":{\"status\":\"INACTIVE\"}}]"));
    assertThat(keys(r)).containsExactly(K + "-struct-operations");
    assertThat(r.getItems(0).getEtag().getValue())
        .isEqualTo(store.etagOf(K + "-struct-operations"));
  }

  @Test
  void orOfAnds() {
    assertThat(
            keys(
                query(
                    filter(
                        "OR",
                        "[{\"AND\":[{\"EQ\":{\"message\":\""
                            + K
                            + "message\"}},{\"GT\":{\"product.value\":11.1}},"
                            + "{\"EQ\":{\"status\":\"INACTIVE\"}}]},"
                            + "{\"AND\":[{\"EQ\":{\"message\":\""
                            + K
                            + "message\"}},{\"LTE\":{\"product.value\":0.5}},"
                            + "{\"EQ\":{\"status\":\"ACTIVE\"}}]}]"))))
        .containsExactly(K + "-struct-operations-inactive");
  }

  @Test
  void inFindsTwoKeysInKeyOrder() {
    assertThat(
            keys(
                query(
                    filter(
                        "OR",
                        "[{\"EQ\":{\"message\":\""
                            + K
                            + "test\"}},{\"IN\":{\"message\":[\"test"
                            + K
                            + "\",\"dummy\"]}}]"))))
        .containsExactly(K + "-struct", K + "-struct-2");
  }

  @Test
  void everyComparisonOperatorOverGrpc() {
    assertThat(keys(query(filter("EQ", "{\"product.value\":15}"))))
        .containsExactly(K + "-struct-operations");
    assertThat(keys(query(filter("GT", "{\"product.value\":12}"))))
        .containsExactly(K + "-struct-operations");
    assertThat(keys(query(filter("GTE", "{\"product.value\":12}"))))
        .containsExactly(K + "-struct-operations", K + "-struct-operations-inactive");
    assertThat(keys(query(filter("LT", "{\"product.value\":15}"))))
        .containsExactly(K + "-struct-operations-inactive");
    assertThat(keys(query(filter("LTE", "{\"product.value\":15}"))))
        .containsExactly(K + "-struct-operations", K + "-struct-operations-inactive");
    assertThat(keys(query(filter("NEQ", "{\"status\":\"ACTIVE\"}"))))
        .containsExactly(
            K + "-int",
            K + "-string",
            K + "-struct",
            K + "-struct-2",
            K + "-struct-operations-inactive");
    assertThat(keys(query(filter("IN", "{\"status\":[\"ACTIVE\",\"INACTIVE\"]}"))))
        .containsExactly(K + "-struct-operations", K + "-struct-operations-inactive");
  }

  @Test
  void aStoredNumberBeyondDoubleRangeFailsNoQuery() {
    store.set(K + "-huge", "{\"product\":{\"value\":1e400}}");
    assertThat(keys(query(filter("GT", "{\"product.value\":12}"))))
        .containsExactly(K + "-huge", K + "-struct-operations");
    assertThat(keys(query(filter("EQ", "{\"product.value\":1E+400}"))))
        .containsExactly(K + "-huge");
  }

  @Test
  void noFilterReturnsEveryJsonValueAndSkipsTheRest() {
    assertThat(keys(query(State.Query.newBuilder())))
        .containsExactly(
            K + "-int",
            K + "-string",
            K + "-struct",
            K + "-struct-2",
            K + "-struct-operations",
            K + "-struct-operations-inactive");
  }

  @Test
  void sortsAndPages() {
    for (int i = 0; i < 10; i++) {
      store.set("p" + i, "{\"group\":" + (i % 3) + ",\"name\":\"n" + (9 - i) + "\"}");
    }
    State.Query.Builder q =
        filter("GTE", "{\"group\":0}")
            .addSort(State.Sorting.newBuilder().setKey("group").setOrder(State.Sorting.Order.DESC))
            .addSort(State.Sorting.newBuilder().setKey("name"));
    List<String> all = new ArrayList<>();
    String token = "";
    for (int page = 0; page < 10; page++) {
      q.setPagination(State.Pagination.newBuilder().setLimit(3).setToken(token));
      State.QueryResponse r = query(q);
      assertThat(r.getItemsCount()).isLessThanOrEqualTo(3);
      all.addAll(keys(r));
      token = r.getToken();
      if (token.isEmpty()) {
        break;
      }
    }
    assertThat(token).isEmpty();
    // group 2: p2,p5,p8 (names n7,n4,n1 -> ASC n1,n4,n7); group 1: p1,p4,p7; group 0: p0,p3,p6,p9
    assertThat(all).containsExactly("p8", "p5", "p2", "p7", "p4", "p1", "p9", "p6", "p3", "p0");
  }

  @Test
  void badQueriesAreInvalidArgument() {
    var bad = failure(() -> query(filter("LIKE", "{\"a\":1}")));
    assertThat(bad.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(bad.getStatus().getDescription()).contains("LIKE");
    var notJson = failure(() -> query(filter("EQ", "{\"a\":")));
    assertThat(notJson.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    var badToken =
        failure(
            () ->
                query(
                    State.Query.newBuilder()
                        .setPagination(
                            State.Pagination.newBuilder().setLimit(1).setToken("nope"))));
    assertThat(badToken.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void queriesSeeOnlyTheirInstance() {
    GrpcHarness.Client other = harness.init("other", Map.of());
    other.set("x", "{\"message\":\"test" + K + "\"}");
    assertThat(
            keys(
                other
                    .query()
                    .query(
                        State.QueryRequest.newBuilder()
                            .setQuery(filter("EQ", "{\"message\":\"test" + K + "\"}"))
                            .build())))
        .containsExactly("x");
  }

  private State.QueryResponse query(State.Query.Builder q) {
    return store
        .query()
        .query(
            State.QueryRequest.newBuilder()
                .setQuery(q)
                .putMetadata("contentType", "application/json")
                .putMetadata("queryIndexName", "qIndx")
                .build());
  }

  private static State.Query.Builder filter(String op, String operandJson) {
    return State.Query.newBuilder()
        .putFilter(
            op, Any.newBuilder().setTypeUrl("").setValue(GrpcHarness.utf8(operandJson)).build());
  }

  private static List<String> keys(State.QueryResponse r) {
    return r.getItemsList().stream().map(State.QueryItem::getKey).toList();
  }
}
