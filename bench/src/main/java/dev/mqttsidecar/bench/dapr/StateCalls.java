package dev.mqttsidecar.bench.dapr;

import com.google.protobuf.ByteString;
import dapr.proto.components.v1.State;
import dapr.proto.components.v1.StateStoreGrpc;
import io.dapr.v1.ComponentProtos.MetadataRequest;
import java.time.Duration;
import java.util.Map;

/** Dapr state {@code Set} and {@code Get} through the socket, from closed-loop callers. */
final class StateCalls {
  private static final String INSTANCE = "rates-state";
  private static final int KEYS_PER_CALLER = 1_000;

  private final StateStoreGrpc.StateStoreFutureStub stub;

  StateCalls(ComponentSocket socket, Map<String, String> metadata) {
    StateStoreGrpc.newBlockingStub(socket.channel())
        .withInterceptors(ComponentSocket.instance(INSTANCE))
        .init(
            State.InitRequest.newBuilder()
                .setMetadata(MetadataRequest.newBuilder().putAllProperties(metadata))
                .build());
    stub =
        StateStoreGrpc.newFutureStub(socket.channel())
            .withInterceptors(ComponentSocket.instance(INSTANCE));
  }

  /** Sets per second; the keys they write are the ones {@link #gets} reads. */
  double sets(int callers, ByteString value, Duration warmup, Duration window)
      throws InterruptedException {
    ClosedLoop loop =
        ClosedLoop.start(
            callers,
            (caller, n) ->
                stub.set(
                    State.SetRequest.newBuilder().setKey(key(caller, n)).setValue(value).build()));
    try {
      return RateWindow.measure(loop::answered, warmup, window);
    } finally {
      loop.stop(Duration.ofSeconds(30));
    }
  }

  /** Gets per second of keys {@link #sets} wrote. */
  double gets(int callers, Duration warmup, Duration window) throws InterruptedException {
    ClosedLoop loop =
        ClosedLoop.start(
            callers,
            (caller, n) -> stub.get(State.GetRequest.newBuilder().setKey(key(caller, n)).build()));
    try {
      return RateWindow.measure(loop::answered, warmup, window);
    } finally {
      loop.stop(Duration.ofSeconds(30));
    }
  }

  private static String key(int caller, long n) {
    return "rates||c" + caller + "-" + (n % KEYS_PER_CALLER);
  }
}
