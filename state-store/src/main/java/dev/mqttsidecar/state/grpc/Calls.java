package dev.mqttsidecar.state.grpc;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Completes unary calls, turning every failure into a proper status (with its details). */
final class Calls {
  private Calls() {}

  /** Answers with what {@code body} returns, computed on the calling thread. */
  static <T> void reply(StreamObserver<T> observer, Supplier<T> body) {
    T response;
    try {
      response = body.get();
    } catch (Throwable t) {
      observer.onError(GrpcErrors.of(t));
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  /** Answers when the stage {@code body} starts completes, from its callback: nothing blocks. */
  static <T> void replyLater(
      StreamObserver<T> observer, Supplier<? extends CompletionStage<T>> body) {
    CompletionStage<T> stage;
    try {
      stage = body.get();
    } catch (Throwable t) {
      observer.onError(GrpcErrors.of(t));
      return;
    }
    stage.whenComplete(
        (response, failure) -> {
          if (failure != null) {
            observer.onError(GrpcErrors.of(failure));
          } else {
            observer.onNext(response);
            observer.onCompleted();
          }
        });
  }
}
