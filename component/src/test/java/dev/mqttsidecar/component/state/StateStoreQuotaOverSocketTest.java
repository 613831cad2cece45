package dev.mqttsidecar.component.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dapr.proto.components.v1.State;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Quotas;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

/**
 * The broker's retained quotas as daprd meets them over the sidecar's socket: a write that would
 * pass one fails with RESOURCE_EXHAUSTED naming it, a transaction is refused as a whole, and
 * overwriting or deleting keys always works.
 */
class StateStoreQuotaOverSocketTest extends StateSocketTestBase {
  private static final int MAX_KEYS = 3;
  private static final long MAX_BYTES = 1_000;

  @Override
  BrokerConfig brokerConfig() {
    return BrokerConfig.builder()
        .port(0)
        .quotas(Quotas.DEFAULTS.withMaxRetainedMessages(MAX_KEYS).withMaxRetainedBytes(MAX_BYTES))
        .build();
  }

  private static void assertQuotaExceeded(Runnable call, String limit) {
    StatusRuntimeException e = catchThrowableOfType(call::run, StatusRuntimeException.class);
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).contains(limit);
  }

  private void transact(State.TransactionalStateOperation... ops) {
    State.TransactionalStateRequest.Builder request = State.TransactionalStateRequest.newBuilder();
    for (State.TransactionalStateOperation op : ops) {
      request.addOperations(op);
    }
    sidecar.daprd().transactions(STORE).transact(request.build());
  }

  private String text(String key) {
    return get(key).getData().toStringUtf8();
  }

  @Test
  void aNewKeyOverTheCountIsRefusedAndOverwritingOrDeletingIsNot() {
    for (int i = 1; i <= MAX_KEYS; i++) {
      set("myapp||k" + i, utf8("v" + i), null);
    }
    assertQuotaExceeded(
        () -> set("myapp||k4", utf8("v4"), null), "maxRetainedMessages (" + MAX_KEYS + ")");
    assertThat(get("myapp||k4").hasEtag()).isFalse();

    set("myapp||k1", utf8("new"), null);
    state.delete(State.DeleteRequest.newBuilder().setKey("myapp||k2").build());
    set("myapp||k4", utf8("v4"), null);
    assertThat(text("myapp||k1")).isEqualTo("new");
    assertThat(text("myapp||k4")).isEqualTo("v4");
  }

  @Test
  void aTransactionOverTheCountIsRefusedAsAWhole() {
    set("myapp||a", utf8("1"), null);
    set("myapp||b", utf8("2"), null);
    set("myapp||e", utf8("5"), null);
    // Net one key more than allowed: nothing of it is applied, not even the delete.
    assertQuotaExceeded(
        () -> transact(delete("myapp||a"), setOp("myapp||c", "3"), setOp("myapp||d", "4")),
        "maxRetainedMessages");
    assertThat(text("myapp||a")).isEqualTo("1");
    assertThat(get("myapp||c").hasEtag()).isFalse();
    assertThat(get("myapp||d").hasEtag()).isFalse();

    // The same keys with the count kept: a delete makes room for a set in the same transaction.
    transact(delete("myapp||a"), setOp("myapp||c", "3"), setOp("myapp||b", "22"));
    assertThat(get("myapp||a").hasEtag()).isFalse();
    assertThat(text("myapp||b")).isEqualTo("22");
    assertThat(text("myapp||c")).isEqualTo("3");
  }

  @Test
  void bulkSetAppliesTheItemsThatFitAndReportsTheQuota() {
    set("myapp||first", utf8("1"), null);
    State.BulkSetRequest.Builder bulk = State.BulkSetRequest.newBuilder();
    for (String key : new String[] {"myapp||x", "myapp||y", "myapp||z"}) {
      bulk.addItems(setRequest(key, utf8(key), null));
    }
    // Dapr's bulk set is not a transaction: each item is applied on its own.
    assertQuotaExceeded(() -> state.bulkSet(bulk.build()), "maxRetainedMessages");
    int stored = 0;
    for (String key : new String[] {"myapp||x", "myapp||y", "myapp||z"}) {
      stored += get(key).hasEtag() ? 1 : 0;
    }
    assertThat(stored).isEqualTo(MAX_KEYS - 1);
  }

  @Test
  void aValueThatWouldPassTheBytesIsRefusedAndASmallerOneIsNot() {
    set("myapp||big", new byte[600], null);
    assertQuotaExceeded(
        () -> set("myapp||big2", new byte[600], null), "maxRetainedBytes (" + MAX_BYTES + ")");
    assertQuotaExceeded(() -> set("myapp||big", new byte[1_000], null), "maxRetainedBytes");
    set("myapp||big", new byte[10], null);
    set("myapp||big2", new byte[600], null);
    assertThat(get("myapp||big2").getData().size()).isEqualTo(600);
  }
}
