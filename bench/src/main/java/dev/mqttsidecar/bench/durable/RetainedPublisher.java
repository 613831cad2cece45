package dev.mqttsidecar.bench.durable;

import dev.mqttsidecar.bench.mqtt.ClientSettings;
import dev.mqttsidecar.bench.mqtt.MqttClientHandler;
import dev.mqttsidecar.bench.mqtt.PacketIds;
import dev.mqttsidecar.bench.mqtt.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One writer: retained QoS 1 PUBLISHes (each one a durable write on a broker that persists), at
 * most {@code window} unacknowledged, each to its own topic in {@code prefix + n % keys}. A window
 * of 1 is one writer waiting for every PUBACK, which is what group commit has to make cheap.
 */
final class RetainedPublisher extends MqttClientHandler {
  private static final int RETAIN = 0x01;

  private final String prefix;
  private final int keys;
  private final int window;
  private final int payloadSize;
  private final long limit;
  private final PacketIds ids = new PacketIds();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private ChannelHandlerContext ctx;
  private volatile boolean stopping;
  private long sent;

  /**
   * @param limit messages to send in all, or {@link Long#MAX_VALUE} until {@link #stop()}
   */
  RetainedPublisher(
      ClientSettings settings, String prefix, int keys, int window, int payloadSize, long limit) {
    super(settings);
    this.prefix = prefix;
    this.keys = keys;
    this.window = window;
    this.payloadSize = payloadSize;
    this.limit = limit;
  }

  @Override
  protected void onConnected(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    markReady();
  }

  /** Starts sending; any thread, once {@link #ready()} completed. */
  void start() {
    ctx.executor().execute(this::fill);
  }

  /** Stops sending; {@link #finished()} completes when the last PUBACK is in. */
  void stop() {
    stopping = true;
    ctx.executor().execute(this::completeIfDone);
  }

  CompletableFuture<Void> finished() {
    return finished;
  }

  long acked() {
    return acked.get();
  }

  long refused() {
    return refused.get();
  }

  private void fill() {
    boolean wrote = false;
    while (!stopping && sent < limit && ids.inFlight() < window) {
      byte[] topic = (prefix + (sent % keys)).getBytes(StandardCharsets.UTF_8);
      ByteBuf buf =
          ctx.alloc().buffer(Packets.publishSize(settings.isV5(), topic.length, 1, payloadSize));
      int start = buf.writerIndex();
      Packets.writePublish(
          buf, settings.isV5(), topic, 1, ids.acquire(), payloadSize, 0, sent, System.nanoTime());
      buf.setByte(start, buf.getByte(start) | RETAIN);
      ctx.write(buf, ctx.voidPromise());
      sent++;
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
    completeIfDone();
  }

  private void completeIfDone() {
    if ((stopping || sent >= limit) && ids.inFlight() == 0) {
      finished.complete(null);
    }
  }

  @Override
  protected void onAck(ChannelHandlerContext ctx, int type, int packetId, int reason) {
    if (type != Packets.PUBACK || !ids.release(packetId)) {
      onUnexpected(ctx, type);
      return;
    }
    (reason < 0x80 ? acked : refused).incrementAndGet();
    fill();
  }

  @Override
  protected void onUnexpected(ChannelHandlerContext ctx, int type) {
    fail(ctx, new IllegalStateException("unexpected packet type " + type));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    finished.completeExceptionally(new IllegalStateException("connection closed"));
    super.channelInactive(ctx);
  }
}
