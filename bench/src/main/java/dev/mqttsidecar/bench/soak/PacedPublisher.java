package dev.mqttsidecar.bench.soak;

import dev.mqttsidecar.bench.mqtt.ClientSettings;
import dev.mqttsidecar.bench.mqtt.MqttClientHandler;
import dev.mqttsidecar.bench.mqtt.PacketIds;
import dev.mqttsidecar.bench.mqtt.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * One MQTT publisher at a fixed rate: message {@code seq} is due at {@code start + seq / rate}, on
 * {@code topics.apply(seq)}, with at most {@link #WINDOW} QoS 1/2 messages unacknowledged (a
 * publisher that falls behind catches up, up to the window). QoS 2 runs the whole exchange (PUBREC,
 * PUBREL, PUBCOMP); the ledger hears of a message once the broker has taken it over.
 */
final class PacedPublisher extends MqttClientHandler {
  static final int WINDOW = 32;
  private static final long TICK_MILLIS = 50;
  private static final int RETAIN = 0x01;

  private final LongFunction<String> topics;
  private final int qos;
  private final boolean retain;
  private final int payloadSize;
  private final Pacer pacer;
  private final Ledger ledger;
  private final PacketIds ids = new PacketIds();
  private final long[] seqById = new long[65536];
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> ticker;
  private volatile boolean stopping;

  PacedPublisher(
      ClientSettings settings,
      LongFunction<String> topics,
      int qos,
      boolean retain,
      int payloadSize,
      double ratePerSecond,
      Ledger ledger) {
    super(settings);
    this.topics = topics;
    this.qos = qos;
    this.retain = retain;
    this.payloadSize = payloadSize;
    this.pacer = new Pacer(ratePerSecond);
    this.ledger = ledger;
  }

  @Override
  protected void onConnected(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    markReady();
  }

  /** Starts sending; any thread, once {@link #ready()} completed. */
  void start() {
    ctx.executor()
        .execute(
            () -> {
              pacer.start();
              ticker =
                  ctx.executor()
                      .scheduleAtFixedRate(this::sendDue, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
            });
  }

  /** Stops sending; {@link #finished()} completes once nothing is in flight. */
  void stop() {
    stopping = true;
    if (ctx != null) {
      ctx.executor().execute(this::completeIfDone);
    } else {
      finished.complete(null);
    }
  }

  CompletableFuture<Void> finished() {
    return finished;
  }

  /** Closes the connection with a normal DISCONNECT. */
  void disconnect() {
    if (ctx != null) {
      ctx.writeAndFlush(Packets.disconnect(ctx.alloc())).addListener(f -> ctx.close());
    }
  }

  private void sendDue() {
    if (stopping) {
      completeIfDone();
      return;
    }
    boolean wrote = false;
    while (pacer.pending() > 0 && (qos == 0 || ids.inFlight() < WINDOW)) {
      long sent = pacer.take();
      byte[] topic = topics.apply(sent).getBytes(StandardCharsets.UTF_8);
      int id = qos == 0 ? 0 : ids.acquire();
      ByteBuf buf =
          ctx.alloc().buffer(Packets.publishSize(settings.isV5(), topic.length, qos, payloadSize));
      int start = buf.writerIndex();
      Packets.writePublish(
          buf, settings.isV5(), topic, qos, id, payloadSize, 0, sent, System.nanoTime());
      if (retain) {
        buf.setByte(start, buf.getByte(start) | RETAIN);
      }
      ctx.write(buf, ctx.voidPromise());
      seqById[id] = sent;
      ledger.sent();
      if (qos == 0) {
        ledger.acked(sent);
      }
      wrote = true;
    }
    if (wrote) {
      ctx.flush();
    }
  }

  @Override
  protected void onAck(ChannelHandlerContext ctx, int type, int packetId, int reason) {
    boolean done = type == Packets.PUBACK && qos == 1 || type == Packets.PUBCOMP && qos == 2;
    if (type == Packets.PUBREC && qos == 2 && reason < 0x80) {
      ByteBuf rel = ctx.alloc().buffer(4);
      Packets.writeAck(rel, Packets.PUBREL, packetId);
      ctx.writeAndFlush(rel, ctx.voidPromise());
      return;
    }
    long seq = seqById[packetId];
    if (!ids.release(packetId) || !(done || type == Packets.PUBREC)) {
      onUnexpected(ctx, type);
      return;
    }
    if (reason >= 0x80) {
      ledger.error(settings.clientId() + ": refused with reason 0x" + Integer.toHexString(reason));
    } else {
      ledger.acked(seq);
    }
    completeIfDone();
  }

  private void completeIfDone() {
    if (stopping && ids.inFlight() == 0) {
      if (ticker != null) {
        ticker.cancel(false);
      }
      finished.complete(null);
    }
  }

  @Override
  protected void onUnexpected(ChannelHandlerContext ctx, int type) {
    ledger.error(settings.clientId() + ": unexpected packet type " + type);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (ticker != null) {
      ticker.cancel(false);
    }
    if (!stopping) {
      ledger.error(settings.clientId() + ": connection closed: " + failure());
    }
    finished.complete(null);
    super.channelInactive(ctx);
  }
}
