package dev.mqttsidecar.state.grpc;

import dev.mqttsidecar.state.RetainedStateStore;
import dev.mqttsidecar.state.StateException;
import dev.mqttsidecar.state.StateOp;
import dev.mqttsidecar.state.WriteOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Dapr's bulk writes: every item applied on its own, not as a transaction. */
final class BulkWrites {
  private BulkWrites() {}

  /**
   * Refuses a bulk call with more items than the store's {@code maxBulkItems}.
   *
   * @throws StateException INVALID_ARGUMENT naming the limit
   */
  static void checkItemCount(RetainedStateStore store, String call, int items) {
    int max = store.config().maxBulkItems();
    if (items > max) {
      throw StateException.invalid(
          call + " of " + items + " items is over this store's maxBulkItems (" + max + ")");
    }
  }

  /**
   * Applies each item independently; the outcome is the first failure in request order.
   *
   * @throws StateException INVALID_ARGUMENT for more items than {@code maxBulkItems}
   */
  static <R> CompletableFuture<WriteOutcome> applyEach(
      RetainedStateStore store, String call, List<R> items, Function<R, ? extends StateOp> toOp) {
    checkItemCount(store, call, items.size());
    List<CompletableFuture<WriteOutcome>> results = new ArrayList<>(items.size());
    for (R item : items) {
      try {
        results.add(store.apply(List.of(toOp.apply(item))));
      } catch (StateException e) {
        results.add(CompletableFuture.completedFuture(new WriteOutcome.Failed(e.error())));
      }
    }
    return CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            done -> {
              for (CompletableFuture<WriteOutcome> r : results) {
                WriteOutcome outcome = r.join();
                if (outcome instanceof WriteOutcome.Failed) {
                  return outcome;
                }
              }
              return new WriteOutcome.Applied(List.of());
            });
  }
}
