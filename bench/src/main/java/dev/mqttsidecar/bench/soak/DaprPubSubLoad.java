package dev.mqttsidecar.bench.soak;

import com.google.protobuf.ByteString;
import dapr.proto.components.v1.PubSubGrpc;
import dapr.proto.components.v1.Pubsub;
import dapr.proto.components.v1.Pubsub.PubSubInitRequest;
import dapr.proto.components.v1.Pubsub.PublishRequest;
import dapr.proto.components.v1.Pubsub.PullMessagesRequest;
import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import dapr.proto.components.v1.Pubsub.Topic;
import dev.mqttsidecar.bench.dapr.ComponentSocket;
import io.dapr.v1.ComponentProtos.MetadataRequest;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Dapr pub/sub through the socket as daprd drives it: {@code Publish} calls at a fixed rate, and
 * one {@code PullMessages} stream that acknowledges every message before it gets the next. A
 * message whose Publish succeeded must reach the stream.
 */
final class DaprPubSubLoad implements AutoCloseable {
  static final double RATE = 20;
  static final String INSTANCE = "soak-pubsub";
  private static final String TOPIC = "events";
  private static final String PROBE = "probe";
  private static final int MAX_OUTSTANDING = 16;
  private static final long TICK_MILLIS = 50;
  private static final Map<String, String> RAW = Map.of("rawPayload", "true");

  private final PubSubGrpc.PubSubStub stub;
  private final ScheduledExecutorService scheduler;
  private final Ledger ledger = new Ledger("Dapr Publish + PullMessages", true);
  private final Pacer pacer = new Pacer(RATE);
  private final AtomicInteger outstanding = new AtomicInteger();
  private final CountDownLatch subscribed = new CountDownLatch(1);
  private volatile ClientCallStreamObserver<PullMessagesRequest> requests;
  private volatile boolean closing;
  private ScheduledFuture<?> ticker;

  DaprPubSubLoad(ComponentSocket socket, ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
    PubSubGrpc.newBlockingStub(socket.channel())
        .withInterceptors(ComponentSocket.instance(INSTANCE))
        .init(
            PubSubInitRequest.newBuilder()
                .setMetadata(
                    MetadataRequest.newBuilder()
                        .putProperties("topicPrefix", "soak/dapr/")
                        .putProperties("consumerID", "soak"))
                .build());
    stub =
        PubSubGrpc.newStub(socket.channel()).withInterceptors(ComponentSocket.instance(INSTANCE));
  }

  Ledger ledger() {
    return ledger;
  }

  /**
   * Opens the stream, publishes probes until one arrives (the consumer group exists from then on),
   * and starts the paced publishes.
   */
  void start(Duration timeout) throws InterruptedException {
    stub.pullMessages(new Stream());
    requests.onNext(
        PullMessagesRequest.newBuilder()
            .setTopic(Topic.newBuilder().setName(TOPIC).putAllMetadata(RAW))
            .build());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!subscribed.await(200, TimeUnit.MILLISECONDS)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no probe message reached the PullMessages stream");
      }
      publish(PROBE.getBytes(StandardCharsets.US_ASCII));
    }
    pacer.start();
    ticker = scheduler.scheduleAtFixedRate(this::publishDue, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void publishDue() {
    while (pacer.pending() > 0 && outstanding.get() < MAX_OUTSTANDING) {
      long seq = pacer.take();
      outstanding.incrementAndGet();
      ledger.sent();
      publish(Long.toString(seq).getBytes(StandardCharsets.US_ASCII))
          .whenComplete(
              (ok, error) -> {
                outstanding.decrementAndGet();
                if (error != null) {
                  ledger.error("Publish " + seq + ": " + error);
                } else {
                  ledger.acked(seq);
                }
              });
    }
  }

  private java.util.concurrent.CompletableFuture<?> publish(byte[] data) {
    PublishRequest request =
        PublishRequest.newBuilder()
            .setPubsubName(INSTANCE)
            .setTopic(TOPIC)
            .setData(ByteString.copyFrom(data))
            .putAllMetadata(RAW)
            .build();
    return Unary.<Pubsub.PublishResponse>call(o -> stub.publish(request, o));
  }

  /**
   * Stops publishing and waits (at most until {@code deadlineNanos}) for the stream to catch up.
   */
  void finish(long deadlineNanos) throws InterruptedException {
    if (ticker != null) {
      ticker.cancel(false);
    }
    Deadlines.awaitTrue(() -> outstanding.get() == 0 && ledger.missing() == 0, deadlineNanos);
  }

  @Override
  public void close() {
    closing = true;
    if (requests != null) {
      requests.cancel("soak finished", null);
    }
  }

  private final class Stream
      implements ClientResponseObserver<PullMessagesRequest, PullMessagesResponse> {
    @Override
    public void beforeStart(ClientCallStreamObserver<PullMessagesRequest> r) {
      requests = r;
    }

    @Override
    public void onNext(PullMessagesResponse message) {
      String data = message.getData().toStringUtf8();
      if (data.equals(PROBE)) {
        subscribed.countDown();
      } else {
        try {
          ledger.received(Long.parseLong(data));
        } catch (NumberFormatException e) {
          ledger.error("PullMessages: unexpected data " + data);
        }
      }
      // One message at a time, acknowledged after it was handled, as daprd does.
      requests.onNext(PullMessagesRequest.newBuilder().setAckMessageId(message.getId()).build());
    }

    @Override
    public void onError(Throwable t) {
      if (!closing) {
        ledger.error("PullMessages ended: " + t);
      }
    }

    @Override
    public void onCompleted() {
      if (!closing) {
        ledger.error("PullMessages completed by the sidecar");
      }
    }
  }
}
