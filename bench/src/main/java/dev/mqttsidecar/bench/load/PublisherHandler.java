package dev.mqttsidecar.bench.load;

import dev.mqttsidecar.bench.mqtt.ClientSettings;
import dev.mqttsidecar.bench.mqtt.MqttClientHandler;
import dev.mqttsidecar.bench.mqtt.PacketIds;
import dev.mqttsidecar.bench.mqtt.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One publisher connection. Open loop: message k is due at {@code start + k / rate} and carries
 * that intended time, so a broker that makes the publisher fall behind shows up in the latency
 * instead of hiding it (no coordinated omission). Max rate: sends whenever the socket is writable
 * and the QoS 1/2 window has room, stamping the actual send time. Either way, what is due is
 * written as one buffer per batch.
 */
final class PublisherHandler extends MqttClientHandler {
  private static final int MAX_BATCH = 64;
  private static final long TICK_MICROS = 500;

  private final int index;
  private final byte[] topic;
  private final int qos;
  private final int payloadSize;
  private final double ratePerSecond;
  private final int window;
  private final int packetSize;
  private final PacketIds ids = new PacketIds();
  private final AtomicLong sentSoFar = new AtomicLong();
  private final EndToEndWindow endToEnd;

  private ChannelHandlerContext ctx;
  private Timeline timeline;
  private ScheduledFuture<?> ticker;
  private boolean sending;
  private volatile boolean finished;
  private long sent;
  private long sentInWindow;
  private long completed;
  private long rejected;
  private long protocolErrors;

  /**
   * @param ratePerSecond this publisher's open-loop rate, or 0 for as fast as possible
   * @param window QoS 1/2 messages that may be unacknowledged at once
   * @param endToEnd bound on messages sent but not yet delivered, or null for none
   */
  PublisherHandler(
      ClientSettings settings,
      int index,
      String topic,
      int qos,
      int payloadSize,
      double ratePerSecond,
      int window,
      EndToEndWindow endToEnd) {
    super(settings);
    this.endToEnd = endToEnd;
    this.index = index;
    this.topic = topic.getBytes(StandardCharsets.UTF_8);
    this.qos = qos;
    this.payloadSize = payloadSize;
    this.ratePerSecond = ratePerSecond;
    this.window = Math.max(1, Math.min(window, 65535));
    this.packetSize = Packets.publishSize(settings.isV5(), this.topic.length, qos, payloadSize);
  }

  @Override
  protected void onConnected(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    markReady();
  }

  /** Schedules the run; call from any thread once {@link #ready()} completed. */
  void start(Timeline t) {
    ctx.executor()
        .execute(
            () -> {
              timeline = t;
              long now = System.nanoTime();
              ctx.executor()
                  .schedule(this::begin, Math.max(0, t.start() - now), TimeUnit.NANOSECONDS);
              ctx.executor()
                  .schedule(this::finish, Math.max(0, t.end() - now), TimeUnit.NANOSECONDS);
            });
  }

  private void begin() {
    sending = true;
    // Open loop: the tick releases what is due. Max rate: reads and writability drive the pump;
    // the tick only restarts it after the end-to-end window closed it.
    ticker = ctx.executor().scheduleAtFixedRate(this::pump, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
  }

  private void finish() {
    sending = false;
    if (ticker != null) {
      ticker.cancel(false);
    }
    sentSoFar.set(sent);
    finished = true; // publishes the counters to the thread that reads finished
  }

  private void pump() {
    if (!sending || !ctx.channel().isActive() || !ctx.channel().isWritable()) {
      return;
    }
    long now = System.nanoTime();
    long due = ratePerSecond > 0 ? dueBy(Math.min(now, timeline.end())) : Long.MAX_VALUE;
    long room = qos == 0 ? MAX_BATCH : Math.min(MAX_BATCH, window - ids.inFlight());
    if (endToEnd != null) {
      room = Math.min(room, endToEnd.room(index, sent, now));
    }
    int batch = (int) Math.max(0, Math.min(room, due - sent));
    if (batch == 0) {
      return;
    }
    ByteBuf buf = ctx.alloc().directBuffer(batch * packetSize);
    boolean v5 = settings.isV5();
    for (int i = 0; i < batch; i++) {
      long stamp = ratePerSecond > 0 ? intendedTime(sent) : now;
      int packetId = qos == 0 ? 0 : ids.acquire();
      Packets.writePublish(buf, v5, topic, qos, packetId, payloadSize, index, sent, stamp);
      sent++;
      if (timeline.inWindow(stamp)) {
        sentInWindow++;
      }
    }
    if (qos == 0) {
      completed += batch;
    }
    ctx.writeAndFlush(buf, ctx.voidPromise());
    sentSoFar.lazySet(sent);
    if (batch == MAX_BATCH && sent < due) {
      ctx.executor().execute(this::pump); // more is due: let reads (acks) in first
    }
  }

  /** How many messages are due by {@code nanos}: the first at start, then one every 1/rate. */
  private long dueBy(long nanos) {
    return (long) ((nanos - timeline.start()) * ratePerSecond / 1e9) + 1;
  }

  private long intendedTime(long seq) {
    return timeline.start() + (long) (seq * 1e9 / ratePerSecond);
  }

  @Override
  protected void onAck(ChannelHandlerContext ctx, int type, int packetId, int reason) {
    switch (type) {
      case Packets.PUBACK, Packets.PUBCOMP -> {
        if (!ids.release(packetId)) {
          protocolErrors++;
        } else if (reason >= 0x80) {
          rejected++;
        } else {
          completed++;
        }
      }
      case Packets.PUBREC -> {
        if (reason >= 0x80) {
          ids.release(packetId); // the flow ends here [MQTT-4.3.3]
          rejected++;
        } else {
          queueAck(ctx, Packets.PUBREL, packetId);
        }
      }
      default -> protocolErrors++;
    }
  }

  @Override
  protected void onUnexpected(ChannelHandlerContext ctx, int type) {
    protocolErrors++;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    super.channelReadComplete(ctx);
    pump(); // acks freed room in the window
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    pump();
    super.channelWritabilityChanged(ctx);
  }

  boolean isFinished() {
    return finished;
  }

  /** Messages sent so far, readable from any thread (slightly stale). */
  long sentSoFar() {
    return sentSoFar.get();
  }

  int index() {
    return index;
  }

  // Final counts: read only after the event loops have terminated.

  long sent() {
    return sent;
  }

  long sentInWindow() {
    return sentInWindow;
  }

  long completed() {
    return completed;
  }

  /** QoS 1/2 publishes the broker refused with a 5.0 reason code. */
  long rejected() {
    return rejected;
  }

  long protocolErrors() {
    return protocolErrors;
  }
}
