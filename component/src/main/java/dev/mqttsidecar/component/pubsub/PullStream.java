package dev.mqttsidecar.component.pubsub;

import com.google.protobuf.ByteString;
import dapr.proto.components.v1.Pubsub.PullMessagesRequest;
import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import dev.mqttsidecar.broker.Delivery;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.Subscriber;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.concurrent.SerialExecutor;
import dev.mqttsidecar.dapr.MetadataValues;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PullMessages stream: a member of the instance's consumer group (a shared subscription) whose
 * messages go to daprd one at a time, the next only after daprd acknowledged the previous one
 * (daprd handles a stream strictly sequentially) and only while gRPC says the stream is ready.
 *
 * <p>All state lives on one {@link SerialExecutor}; gRPC and broker callbacks only enqueue. The
 * stream never ends itself with an error for a recoverable reason, because daprd does not reopen a
 * stream the component ends: failures become redeliveries instead.
 */
final class PullStream implements StreamObserver<PullMessagesRequest>, Subscriber {
  private static final Logger log = LoggerFactory.getLogger(PullStream.class);
  private static final AtomicLong STREAMS = new AtomicLong();

  /** QoS 0 messages have no broker-side window; beyond this many buffered ones they are dropped. */
  private static final int MAX_BUFFERED_QOS0 = 10_000;

  private record InFlight(String id, Delivery delivery, ScheduledFuture<?> timeout) {}

  private final StreamContext ctx;
  private final ServerCallStreamObserver<PullMessagesResponse> out;
  private final SerialExecutor serial;
  private final String streamId = "s" + STREAMS.incrementAndGet();
  private final ArrayDeque<Delivery> buffer = new ArrayDeque<>();

  private long sequence;
  private InFlight current;
  private Subscription subscription;
  private String topic;
  private String session;
  private boolean rawPayload;
  private boolean started;
  private boolean paused;
  private boolean closed;
  private long droppedQos0;

  PullStream(StreamContext ctx, ServerCallStreamObserver<PullMessagesResponse> out) {
    this.ctx = ctx;
    this.out = out;
    this.serial = new SerialExecutor(ctx.executor());
    out.setOnReadyHandler(() -> serial.execute(this::pump));
    out.setOnCancelHandler(() -> serial.execute(() -> close("cancelled by daprd")));
  }

  // ---- gRPC inbound (daprd -> component) ----

  @Override
  public void onNext(PullMessagesRequest request) {
    serial.execute(() -> handle(request));
  }

  @Override
  public void onError(Throwable t) {
    serial.execute(() -> close("broken: " + Status.fromThrowable(t)));
  }

  @Override
  public void onCompleted() {
    serial.execute(
        () -> {
          boolean wasOpen = !closed;
          close("half-closed by daprd");
          if (wasOpen) {
            out.onCompleted();
          }
        });
  }

  // ---- broker -> stream ----

  @Override
  public void onMessage(Delivery delivery) {
    serial.execute(() -> accept(delivery));
  }

  @Override
  public void ended(End why, String detail) {
    Status status =
        switch (why) {
          case NOT_AUTHORIZED -> Status.PERMISSION_DENIED;
          case INVALID_FILTER -> Status.INVALID_ARGUMENT;
          case REFUSED -> Status.FAILED_PRECONDITION;
          case CLOSED -> Status.UNAVAILABLE;
        };
    serial.execute(
        () -> {
          if (!closed) {
            reject(status.withDescription("topic '" + topic + "': " + detail));
          }
        });
  }

  // ---- instance control ----

  void pause() {
    serial.execute(
        () -> {
          paused = true;
          if (subscription != null) {
            subscription.pause();
          }
        });
  }

  void resume() {
    serial.execute(
        () -> {
          paused = false;
          if (subscription != null) {
            subscription.resume();
          }
          pump();
        });
  }

  /** Ends the stream because its component instance is closing. */
  void shutdown() {
    serial.execute(
        () -> {
          if (!closed) {
            close("component instance closed");
            try {
              out.onError(
                  Status.UNAVAILABLE
                      .withDescription("pub/sub component instance closed")
                      .asRuntimeException());
            } catch (RuntimeException e) {
              // daprd cancelled the call as the server stopped: there is no one left to tell.
              log.debug("stream {}: its call ended with the server ({})", streamId, e.toString());
            }
          }
        });
  }

  // ---- on the serial executor ----

  private void handle(PullMessagesRequest request) {
    if (closed) {
      return;
    }
    if (!started) {
      start(request);
      return;
    }
    if (request.hasTopic()) {
      log.warn("stream {} ({}): topic in a later request ignored", streamId, topic);
    }
    InFlight settled = current;
    if (settled == null || !settled.id().equals(request.getAckMessageId())) {
      log.debug(
          "stream {}: ack for {} which is not in flight (timed out?)",
          streamId,
          request.getAckMessageId());
      return;
    }
    current = null;
    settled.timeout().cancel(false);
    if (request.hasAckError()) {
      failed(settled.delivery(), "ack_error: " + request.getAckError().getMessage());
    } else {
      settled.delivery().ack();
    }
    pump();
  }

  private void start(PullMessagesRequest request) {
    if (!request.hasTopic() || request.getTopic().getName().isEmpty()) {
      reject(
          Status.INVALID_ARGUMENT.withDescription(
              "the first PullMessagesRequest must name a topic"));
      return;
    }
    topic = request.getTopic().getName();
    String filter;
    try {
      rawPayload =
          new MetadataValues(request.getTopic().getMetadataMap()).bool("rawPayload", false);
      filter = ctx.topics().sharedFilter(ctx.group(), topic);
    } catch (IllegalArgumentException e) {
      reject(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
      return;
    }
    PubSubSettings s = ctx.settings();
    session = ctx.sessions().acquire(topic);
    try {
      subscription =
          ctx.broker()
              .subscribe(
                  new SubscriptionRequest(
                      session, filter, s.qos(), s.maxInflight(), s.sessionExpiry()),
                  this);
    } catch (IllegalArgumentException e) {
      reject(Status.INVALID_ARGUMENT.withDescription("topic '" + topic + "': " + e.getMessage()));
      return;
    } catch (RuntimeException e) {
      reject(Status.UNAVAILABLE.withDescription("cannot subscribe to '" + topic + "': " + e));
      return;
    }
    started = true;
    if (ctx.paused().getAsBoolean()) {
      paused = true;
      subscription.pause();
    }
    log.info("stream {} subscribed to {} as {}", streamId, topic, filter);
  }

  private void accept(Delivery delivery) {
    if (closed) {
      delivery.nack(Duration.ZERO); // arrived while closing: straight back to the group
      return;
    }
    if (delivery.message().qos() == Qos.AT_MOST_ONCE && buffer.size() >= MAX_BUFFERED_QOS0) {
      if (droppedQos0++ % 1000 == 0) {
        log.warn(
            "stream {} ({}): daprd is slower than QoS 0 traffic; {} QoS 0 messages dropped",
            streamId,
            topic,
            droppedQos0);
      }
      return;
    }
    buffer.add(delivery);
    pump();
  }

  /** Sends the next message if none is in flight, delivery is not paused and gRPC is ready. */
  private void pump() {
    while (!closed && !paused && current == null && !buffer.isEmpty() && out.isReady()) {
      Delivery delivery = buffer.poll();
      Message message = delivery.message();
      if (message.isExpired(ctx.clock().instant())) {
        delivery.ack(); // its TTL ran out while queued: settled, never delivered
        continue;
      }
      PullMessagesResponse response;
      String id = streamId + "-" + ++sequence;
      try {
        MqttToDapr.Converted c =
            ctx.converter().convert(message, ctx.topics().toDapr(message.topic()), rawPayload);
        response =
            PullMessagesResponse.newBuilder()
                .setId(id)
                .setTopicName(ctx.topics().toDapr(message.topic()))
                .setData(ByteString.copyFrom(c.data()))
                .setContentType(c.contentType())
                .putAllMetadata(c.metadata())
                .build();
      } catch (RuntimeException e) {
        log.error("stream {}: cannot convert {}", streamId, message, e);
        failed(delivery, "conversion failed");
        continue;
      }
      try {
        out.onNext(response);
      } catch (RuntimeException e) {
        failed(delivery, "send failed: " + e);
        close("send failed");
        return;
      }
      ScheduledFuture<?> timeout =
          ctx.scheduler()
              .schedule(
                  () -> serial.execute(() -> timedOut(id)),
                  ctx.settings().ackTimeout().toNanos(),
                  TimeUnit.NANOSECONDS);
      current = new InFlight(id, delivery, timeout);
    }
  }

  private void timedOut(String id) {
    if (current == null || !current.id().equals(id)) {
      return;
    }
    InFlight expired = current;
    current = null;
    log.warn(
        "stream {} ({}): no ack for {} within {} ms; redelivering",
        streamId,
        topic,
        id,
        ctx.settings().ackTimeout().toMillis());
    failed(expired.delivery(), "ack timeout");
    pump();
  }

  private void failed(Delivery delivery, String reason) {
    ctx.failures().failed(delivery, streamId + " (" + topic + "): " + reason);
  }

  /** Ends the stream with an error: its first request was unusable, or its subscription ended. */
  private void reject(Status status) {
    log.warn("stream {} rejected: {}", streamId, status.getDescription());
    close("rejected");
    out.onError(status.asRuntimeException());
  }

  private void close(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    if (current != null) {
      current.timeout().cancel(false);
      failed(current.delivery(), "stream closed while in flight");
      current = null;
    }
    if (subscription != null) {
      // Buffered, never-sent deliveries are unsettled: closing returns them to the group's queue.
      subscription.close();
    }
    if (session != null) {
      ctx.sessions().release(topic, session);
    }
    buffer.clear();
    if (started) {
      log.info("stream {} ({}) closed: {}", streamId, topic, reason);
    }
    ctx.onClosed().accept(this);
  }
}
