package dev.mqttsidecar.bench.soak;

import com.google.protobuf.ByteString;
import dapr.proto.components.v1.State;
import dapr.proto.components.v1.StateStoreGrpc;
import dev.mqttsidecar.bench.dapr.ComponentSocket;
import io.dapr.v1.ComponentProtos.MetadataRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dapr state calls through the socket at a fixed rate of cycles. Cycle {@code n}: {@code Set} of
 * key {@code n % KEYS}, a {@code Get} that must return exactly that value, a {@code Delete} of
 * every other key, and a {@code Set} with a 2 s TTL on one of {@code TTL_KEYS} keys (expiry has to
 * remove those while the sidecar runs). The key sets are fixed, so the store stays bounded.
 */
final class DaprStateLoad {
  static final double RATE = 20;
  static final int KEYS = 500;
  static final int TTL_KEYS = 2000;
  static final String INSTANCE = "soak-state";
  private static final int MAX_OUTSTANDING = 8;
  private static final long TICK_MILLIS = 50;
  private static final String TTL_SECONDS = "2";

  private final StateStoreGrpc.StateStoreStub stub;
  private final ScheduledExecutorService scheduler;
  private final Ledger ledger = new Ledger("Dapr state Set/Get/Delete/TTL", true);
  private final Pacer pacer = new Pacer(RATE);
  private final AtomicInteger outstanding = new AtomicInteger();
  private final AtomicLong calls = new AtomicLong();
  private ScheduledFuture<?> ticker;

  DaprStateLoad(ComponentSocket socket, ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
    StateStoreGrpc.newBlockingStub(socket.channel())
        .withInterceptors(ComponentSocket.instance(INSTANCE))
        .init(State.InitRequest.newBuilder().setMetadata(MetadataRequest.newBuilder()).build());
    stub =
        StateStoreGrpc.newStub(socket.channel())
            .withInterceptors(ComponentSocket.instance(INSTANCE));
  }

  /** Cycles count as messages: acked when the Set succeeded, received when the Get matched. */
  Ledger ledger() {
    return ledger;
  }

  long calls() {
    return calls.get();
  }

  void start() {
    pacer.start();
    ticker = scheduler.scheduleAtFixedRate(this::runDue, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void runDue() {
    while (pacer.pending() > 0 && outstanding.get() < MAX_OUTSTANDING) {
      long n = pacer.take();
      outstanding.incrementAndGet();
      ledger.sent();
      cycle(n)
          .whenComplete(
              (ok, error) -> {
                outstanding.decrementAndGet();
                if (error != null) {
                  ledger.error("state cycle " + n + ": " + error);
                }
              });
    }
  }

  private CompletableFuture<?> cycle(long n) {
    String key = "soak||key-" + (n % KEYS);
    ByteString value = ByteString.copyFrom("\"v" + n + "\"", StandardCharsets.UTF_8);
    return set(State.SetRequest.newBuilder().setKey(key).setValue(value))
        .thenCompose(
            ok -> {
              ledger.acked(n);
              return this.<State.GetResponse>call(
                  o -> stub.get(State.GetRequest.newBuilder().setKey(key).build(), o));
            })
        .thenCompose(
            got -> {
              if (got.getData().equals(value)) {
                ledger.received(n);
              }
              return n % 2 == 0
                  ? this.<State.DeleteResponse>call(
                      o -> stub.delete(State.DeleteRequest.newBuilder().setKey(key).build(), o))
                  : CompletableFuture.completedFuture(null);
            })
        .thenCompose(
            ok ->
                set(
                    State.SetRequest.newBuilder()
                        .setKey("soak||ttl-" + (n % TTL_KEYS))
                        .setValue(value)
                        .putMetadata("ttlInSeconds", TTL_SECONDS)));
  }

  private CompletableFuture<State.SetResponse> set(State.SetRequest.Builder request) {
    return this.<State.SetResponse>call(o -> stub.set(request.build(), o));
  }

  private <T> CompletableFuture<T> call(
      java.util.function.Consumer<io.grpc.stub.StreamObserver<T>> call) {
    calls.incrementAndGet();
    return Unary.call(call);
  }

  /** Stops starting cycles and waits (at most until {@code deadlineNanos}) for those running. */
  void finish(long deadlineNanos) throws InterruptedException {
    if (ticker != null) {
      ticker.cancel(false);
    }
    Deadlines.awaitTrue(() -> outstanding.get() == 0, deadlineNanos);
  }
}
