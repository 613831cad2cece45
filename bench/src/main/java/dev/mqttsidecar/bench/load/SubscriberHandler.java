package dev.mqttsidecar.bench.load;

import dev.mqttsidecar.bench.mqtt.ClientSettings;
import dev.mqttsidecar.bench.mqtt.MqttClientHandler;
import dev.mqttsidecar.bench.mqtt.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * One subscriber connection: subscribes, acknowledges (QoS 1: PUBACK; QoS 2: PUBREC, then PUBCOMP
 * on PUBREL), and records per message the end-to-end latency and which sequence number of which
 * publisher arrived.
 */
final class SubscriberHandler extends MqttClientHandler {
  private final String filter;
  private final int qos;
  private final StreamTracker[] streams;
  private final LatencyRecorders recorders;
  private final boolean[] awaitingRelease = new boolean[65536];
  private final AtomicLong receivedSoFar = new AtomicLong();
  private final EndToEndWindow endToEnd;

  private ChannelHandlerContext ctx;
  private Histogram latency;
  private Timeline timeline;
  private long received;
  private long receivedInWindow;
  private long foreign;
  private long protocolErrors;

  /**
   * @param publishers how many publishers there are (sequence tracking per publisher)
   * @param endToEnd told about every delivery, or null
   */
  SubscriberHandler(
      ClientSettings settings,
      String filter,
      int qos,
      int publishers,
      LatencyRecorders recorders,
      EndToEndWindow endToEnd) {
    super(settings);
    this.endToEnd = endToEnd;
    this.filter = filter;
    this.qos = qos;
    this.streams = new StreamTracker[publishers]; // filled on first message: pairs need one each
    this.recorders = recorders;
  }

  @Override
  protected void onConnected(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    latency = recorders.forCurrentThread();
    ctx.writeAndFlush(Packets.subscribe(ctx.alloc(), settings.isV5(), 1, filter, qos));
  }

  @Override
  protected void onSubAck(ChannelHandlerContext ctx, int code) {
    if (code != qos) {
      fail(
          ctx,
          new IllegalStateException(
              settings.clientId()
                  + ": SUBACK 0x"
                  + Integer.toHexString(code)
                  + ", asked QoS "
                  + qos));
      return;
    }
    markReady();
  }

  /** Hands the run's timeline to the event loop; call before publishing starts. */
  void start(Timeline t) {
    ctx.executor().execute(() -> timeline = t);
  }

  @Override
  protected void onPublish(
      ChannelHandlerContext ctx, int q, int packetId, ByteBuf in, int from, int to) {
    long now = System.nanoTime();
    if (q == 2) {
      queueAck(ctx, Packets.PUBREC, packetId);
      if (awaitingRelease[packetId]) {
        return; // a resend before PUBREL: the same message [MQTT-4.3.3]
      }
      awaitingRelease[packetId] = true;
    } else if (q == 1) {
      queueAck(ctx, Packets.PUBACK, packetId);
    }
    int publisher = to - from >= Payload.HEADER_BYTES ? in.getInt(from) : -1;
    if (publisher < 0 || publisher >= streams.length) {
      foreign++;
      return;
    }
    long seq = in.getLong(from + 4);
    long sentNanos = in.getLong(from + 12);
    received++;
    receivedSoFar.lazySet(received);
    if (endToEnd != null) {
      endToEnd.delivered(publisher);
    }
    StreamTracker stream = streams[publisher];
    if (stream == null) {
      stream = streams[publisher] = new StreamTracker();
    }
    stream.mark(seq);
    Timeline t = timeline;
    if (t != null) {
      if (t.inWindow(now)) {
        receivedInWindow++;
      }
      if (sentNanos >= t.measureFrom()) {
        latency.recordValue(Math.max(1, Math.min(now - sentNanos, LatencyRecorders.HIGHEST_NANOS)));
      }
    }
  }

  @Override
  protected void onAck(ChannelHandlerContext ctx, int type, int packetId, int reason) {
    if (type == Packets.PUBREL) {
      awaitingRelease[packetId] = false;
      queueAck(ctx, Packets.PUBCOMP, packetId);
    } else {
      protocolErrors++;
    }
  }

  @Override
  protected void onUnexpected(ChannelHandlerContext ctx, int type) {
    protocolErrors++;
  }

  /** Messages received so far, readable from any thread (slightly stale). */
  long receivedSoFar() {
    return receivedSoFar.get();
  }

  // Final counts: read only after the event loops have terminated.

  long received() {
    return received;
  }

  long receivedInWindow() {
    return receivedInWindow;
  }

  /** What arrived from {@code publisher}, or null if nothing did. */
  StreamTracker stream(int publisher) {
    return streams[publisher];
  }

  long foreign() {
    return foreign;
  }

  long protocolErrors() {
    return protocolErrors;
  }
}
