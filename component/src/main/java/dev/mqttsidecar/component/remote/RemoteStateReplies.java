package dev.mqttsidecar.component.remote;

import dev.mqttsidecar.component.statesvc.StateServiceException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** How a remote state store's asynchronous answers reach daprd. */
final class RemoteStateReplies {
  private RemoteStateReplies() {}

  static <T> void reply(CompletableFuture<T> answer, StreamObserver<T> observer) {
    answer.whenComplete(
        (response, failure) -> {
          if (failure == null) {
            observer.onNext(response);
            observer.onCompleted();
          } else {
            observer.onError(status(failure));
          }
        });
  }

  /** The state service's error as the gRPC component would answer it (ETag errors included). */
  static StatusRuntimeException status(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof StateServiceException e) {
      return e.failure().toStatusException();
    }
    if (cause instanceof StatusRuntimeException e) {
      return e;
    }
    return Status.UNAVAILABLE.withDescription(String.valueOf(cause)).asRuntimeException();
  }

  /** A call's future, or its synchronous failure (no instance) as a failed one. */
  static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
