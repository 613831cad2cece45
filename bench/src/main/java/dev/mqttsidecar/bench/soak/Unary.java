package dev.mqttsidecar.bench.soak;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A unary gRPC call on an async stub as a future. */
final class Unary {
  private Unary() {}

  static <T> CompletableFuture<T> call(Consumer<StreamObserver<T>> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    call.accept(
        new StreamObserver<>() {
          private T value;

          @Override
          public void onNext(T v) {
            value = v;
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            result.complete(value);
          }
        });
    return result;
  }
}
