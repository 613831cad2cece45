package dev.mqttsidecar.component.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import dev.mqttsidecar.broker.concurrent.SerialExecutor;
import dev.mqttsidecar.broker.testing.ErrorLogCapture;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Regression: closing the sidecar logged "stream task failed" with a RejectedExecutionException
 * when daprd had cancelled a PullMessages stream just as the gRPC server stopped: the stream, told
 * to end with its component instance, wrote its final status to a call whose event loop had already
 * terminated. Seen in the consumer-group model runs, at restarts.
 */
class StreamShutdownAfterServerStopTest {
  @Test
  void endingAStreamWhoseCallIsGoneIsQuiet() {
    try (ErrorLogCapture log = ErrorLogCapture.of(SerialExecutor.class)) {
      TerminatedCall call = new TerminatedCall();
      StreamContext ctx =
          new StreamContext(
              null,
              null,
              null,
              null,
              null,
              "g",
              null,
              Runnable::run,
              null,
              Clock.systemUTC(),
              () -> false,
              stream -> {});
      new PullStream(ctx, call).shutdown();
      assertThat(call.errorAttempts).isEqualTo(1);
      assertThat(log.errors()).isEmpty();
    }
  }

  /** The server side of a call whose transport has stopped: writing the status is refused. */
  private static final class TerminatedCall extends ServerCallStreamObserver<PullMessagesResponse> {
    int errorAttempts;

    @Override
    public void onError(Throwable t) {
      errorAttempts++;
      throw new RejectedExecutionException("event executor terminated");
    }

    @Override
    public boolean isCancelled() {
      return true;
    }

    @Override
    public void setOnCancelHandler(Runnable onCancelHandler) {}

    @Override
    public void setCompression(String compression) {}

    @Override
    public boolean isReady() {
      return false;
    }

    @Override
    public void setOnReadyHandler(Runnable onReadyHandler) {}

    @Override
    public void request(int count) {}

    @Override
    public void setMessageCompression(boolean enable) {}

    @Override
    public void disableAutoInboundFlowControl() {}

    @Override
    public void onNext(PullMessagesResponse value) {}

    @Override
    public void onCompleted() {}
  }
}
