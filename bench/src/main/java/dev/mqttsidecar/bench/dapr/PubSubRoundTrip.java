package dev.mqttsidecar.bench.dapr;

import com.google.protobuf.ByteString;
import dapr.proto.components.v1.PubSubGrpc;
import dapr.proto.components.v1.Pubsub.PubSubInitRequest;
import dapr.proto.components.v1.Pubsub.PublishRequest;
import dapr.proto.components.v1.Pubsub.PullMessagesRequest;
import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import dapr.proto.components.v1.Pubsub.Topic;
import io.dapr.v1.ComponentProtos.MetadataRequest;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publish -> PullMessages -> ack through the socket, as daprd drives it: closed-loop {@code
 * Publish} callers, and one {@code PullMessages} stream that acknowledges each message as it
 * arrives. The rate is of messages acknowledged.
 */
final class PubSubRoundTrip {
  private static final String INSTANCE = "rates-pubsub";
  private static final String TOPIC = "rates";

  private final PubSubGrpc.PubSubFutureStub publisher;
  private final PubSubGrpc.PubSubStub streams;
  private final AtomicLong acked = new AtomicLong();
  private volatile ClientCallStreamObserver<PullMessagesRequest> requests;

  PubSubRoundTrip(ComponentSocket socket, Map<String, String> metadata) {
    PubSubGrpc.newBlockingStub(socket.channel())
        .withInterceptors(ComponentSocket.instance(INSTANCE))
        .init(
            PubSubInitRequest.newBuilder()
                .setMetadata(MetadataRequest.newBuilder().putAllProperties(metadata))
                .build());
    publisher =
        PubSubGrpc.newFutureStub(socket.channel())
            .withInterceptors(ComponentSocket.instance(INSTANCE));
    streams =
        PubSubGrpc.newStub(socket.channel()).withInterceptors(ComponentSocket.instance(INSTANCE));
  }

  /** Messages per second acknowledged, with {@code callers} publishers. */
  double run(int callers, ByteString payload, Duration warmup, Duration window)
      throws InterruptedException {
    subscribe();
    PublishRequest request =
        PublishRequest.newBuilder()
            .setPubsubName(INSTANCE)
            .setTopic(TOPIC)
            .setData(payload)
            .setContentType("application/octet-stream")
            .putMetadata("rawPayload", "true")
            .build();
    awaitFirstMessage(request);
    ClosedLoop loop = ClosedLoop.start(callers, (caller, n) -> publisher.publish(request));
    try {
      return RateWindow.measure(acked::get, warmup, window);
    } finally {
      loop.stop(Duration.ofSeconds(30));
      requests.cancel("done", null);
    }
  }

  /** The subscription is made asynchronously: publish until a message comes through (30 s). */
  private void awaitFirstMessage(PublishRequest request) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (acked.get() == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no message came through PullMessages within 30 s");
      }
      publisher.publish(request);
      Thread.sleep(100);
    }
  }

  private void subscribe() {
    streams.pullMessages(
        new ClientResponseObserver<PullMessagesRequest, PullMessagesResponse>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<PullMessagesRequest> stream) {
            requests = stream;
          }

          @Override
          public void onNext(PullMessagesResponse message) {
            synchronized (PubSubRoundTrip.this) { // one writer on the request stream at a time
              requests.onNext(
                  PullMessagesRequest.newBuilder().setAckMessageId(message.getId()).build());
            }
            acked.incrementAndGet();
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        });
    requests.onNext(
        PullMessagesRequest.newBuilder().setTopic(Topic.newBuilder().setName(TOPIC)).build());
  }
}
