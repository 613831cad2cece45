package dev.mqttsidecar.bench.durable;

import com.google.protobuf.ByteString;
import dapr.proto.components.v1.State;
import dapr.proto.components.v1.StateStoreGrpc;
import dev.mqttsidecar.bench.dapr.ComponentSocket;
import io.dapr.v1.ComponentProtos;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dapr state {@code Set} calls over the component socket, the way daprd makes them (one connection,
 * the {@code x-component-instance} header on every call): {@code callers} concurrent callers, each
 * waiting for its response before the next call.
 */
final class StateSetters implements AutoCloseable {
  private static final String STORE = "bench-state";

  private final ComponentSocket socket;
  private final StateStoreGrpc.StateStoreStub stub;

  StateSetters(Path path) {
    socket = new ComponentSocket(path);
    StateStoreGrpc.newBlockingStub(socket.channel())
        .withInterceptors(ComponentSocket.instance(STORE))
        .init(
            State.InitRequest.newBuilder()
                .setMetadata(ComponentProtos.MetadataRequest.newBuilder())
                .build());
    stub =
        StateStoreGrpc.newStub(socket.channel()).withInterceptors(ComponentSocket.instance(STORE));
  }

  /**
   * Runs {@code callers} closed-loop callers for {@code nanos}; returns the completed calls. Fails
   * on the first error.
   */
  long run(int callers, int keys, ByteString value, long nanos) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    AtomicLong running = new AtomicLong(callers);
    Throwable[] failure = new Throwable[1];
    for (int c = 0; c < callers; c++) {
      call(c, 0, keys, value, stop, done, running, failure);
    }
    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(nanos));
    stop.set(true);
    long count = done.get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (running.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    synchronized (failure) {
      if (failure[0] != null) {
        throw new IllegalStateException("Set failed: " + failure[0], failure[0]);
      }
    }
    return count;
  }

  private void call(
      int caller,
      long n,
      int keys,
      ByteString value,
      AtomicBoolean stop,
      AtomicLong done,
      AtomicLong running,
      Throwable[] failure) {
    if (stop.get()) {
      running.decrementAndGet();
      return;
    }
    String key = "bench||c" + caller + "-" + (n % keys);
    stub.set(
        State.SetRequest.newBuilder().setKey(key).setValue(value).build(),
        new StreamObserver<>() {
          @Override
          public void onNext(State.SetResponse response) {}

          @Override
          public void onError(Throwable t) {
            synchronized (failure) {
              failure[0] = t;
            }
            stop.set(true);
            running.decrementAndGet();
          }

          @Override
          public void onCompleted() {
            done.incrementAndGet();
            call(caller, n + 1, keys, value, stop, done, running, failure);
          }
        });
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
  }
}
