package dev.mqttsidecar.component.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dapr.proto.components.v1.Pubsub.AckMessageError;
import dapr.proto.components.v1.Pubsub.PullMessagesRequest;
import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import dapr.proto.components.v1.Pubsub.Topic;
import dev.mqttsidecar.component.testing.FakeDaprd;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One PullMessages stream opened the way daprd opens it: first request with the topic and the
 * subscription metadata, then one ack per message. With a handler it behaves like daprd (handles
 * each message and acks it, strictly sequentially); without one the test acks by hand.
 */
final class DaprStream implements AutoCloseable {
  /**
   * What a handler returns for a message whose ack never reaches the component (lost, or daprd
   * stuck): the stream sends neither an ack nor an ack_error for it.
   */
  static final String NO_ACK = new String("no ack"); // a new instance: compared by identity

  private final BlockingQueue<PullMessagesResponse> received = new LinkedBlockingQueue<>();
  private final List<PullMessagesResponse> handled = new ArrayList<>();
  private final List<PullMessagesResponse> acked = new ArrayList<>();
  private final CompletableFuture<Status> ended = new CompletableFuture<>();
  private final Function<PullMessagesResponse, String> handler;
  private volatile ClientCallStreamObserver<PullMessagesRequest> requests;

  private DaprStream(Function<PullMessagesResponse, String> handler) {
    this.handler = handler;
  }

  /** A stream whose messages the test acks itself. */
  static DaprStream open(
      FakeDaprd daprd, String instance, String topic, Map<String, String> metadata) {
    return open(daprd, instance, topic, metadata, null);
  }

  /**
   * A stream that handles each message with {@code handler}, which returns null to ack or an error
   * message to nack (ack_error), as daprd does after calling the app, or {@link #NO_ACK} to send
   * nothing.
   */
  static DaprStream open(
      FakeDaprd daprd,
      String instance,
      String topic,
      Map<String, String> metadata,
      Function<PullMessagesResponse, String> handler) {
    DaprStream stream = new DaprStream(handler);
    daprd.pubSubAsync(instance).pullMessages(stream.new Observer());
    stream.requests.onNext(
        PullMessagesRequest.newBuilder()
            .setTopic(Topic.newBuilder().setName(topic).putAllMetadata(metadata))
            .build());
    return stream;
  }

  /** The next message not yet taken, or fails after {@code timeout}. */
  PullMessagesResponse next(Duration timeout) throws InterruptedException {
    PullMessagesResponse message = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(message).as("a message within " + timeout).isNotNull();
    return message;
  }

  /** The next message, or null if none arrives within {@code timeout}. */
  PullMessagesResponse poll(Duration timeout) throws InterruptedException {
    return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  synchronized void ack(PullMessagesResponse message) {
    requests.onNext(PullMessagesRequest.newBuilder().setAckMessageId(message.getId()).build());
  }

  synchronized void nack(PullMessagesResponse message, String error) {
    requests.onNext(
        PullMessagesRequest.newBuilder()
            .setAckMessageId(message.getId())
            .setAckError(AckMessageError.newBuilder().setMessage(error))
            .build());
  }

  /** Messages the handler processed so far (acked or not), in order. */
  synchronized List<PullMessagesResponse> handled() {
    return List.copyOf(handled);
  }

  /** Messages the handler acked (returned null for), in order. */
  synchronized List<PullMessagesResponse> acked() {
    return List.copyOf(acked);
  }

  /** The data of the acked messages as UTF-8, in order. */
  List<String> ackedData() {
    return acked().stream().map(m -> m.getData().toStringUtf8()).toList();
  }

  /** Cancels the stream as daprd does when a subscription stops. */
  void cancel() {
    requests.cancel("subscription stopped", null);
  }

  /** The status the server ended the stream with, if it did within {@code timeout}. */
  Status endStatus(Duration timeout) throws Exception {
    try {
      return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (!ended.isDone()) {
      cancel();
    }
  }

  private final class Observer
      implements ClientResponseObserver<PullMessagesRequest, PullMessagesResponse> {
    @Override
    public void beforeStart(ClientCallStreamObserver<PullMessagesRequest> requestStream) {
      requests = requestStream;
    }

    @Override
    public void onNext(PullMessagesResponse message) {
      if (handler == null) {
        received.add(message);
        return;
      }
      String error;
      synchronized (DaprStream.this) {
        handled.add(message);
        error = handler.apply(message);
        if (error == null) {
          acked.add(message);
        }
      }
      received.add(message);
      if (error == null) {
        ack(message);
      } else if (error != NO_ACK) {
        nack(message, error);
      }
    }

    @Override
    public void onError(Throwable t) {
      ended.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended.complete(Status.OK);
    }
  }
}
