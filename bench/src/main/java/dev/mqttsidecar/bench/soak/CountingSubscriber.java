package dev.mqttsidecar.bench.soak;

import dev.mqttsidecar.bench.mqtt.ClientSettings;
import dev.mqttsidecar.bench.mqtt.MqttClientHandler;
import dev.mqttsidecar.bench.mqtt.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * One MQTT subscriber of one filter: acknowledges what it receives as its QoS asks (PUBACK, or
 * PUBREC then PUBCOMP) and tells the ledger each message's sequence number, read from the
 * generator's payload header. Ready once the SUBACK granted the subscription.
 */
final class CountingSubscriber extends MqttClientHandler {
  private static final int SUBSCRIBE_ID = 1;
  private static final int SEQ_OFFSET = 4; // after the publisher's int

  private final String filter;
  private final int qos;
  private final Ledger ledger;
  private ChannelHandlerContext ctx;
  private volatile boolean leaving;

  CountingSubscriber(ClientSettings settings, String filter, int qos, Ledger ledger) {
    super(settings);
    this.filter = filter;
    this.qos = qos;
    this.ledger = ledger;
  }

  @Override
  protected void onConnected(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    // A persistent session still has its subscription; subscribing again changes nothing else.
    ctx.writeAndFlush(
        Packets.subscribe(ctx.alloc(), settings.isV5(), SUBSCRIBE_ID, filter, qos),
        ctx.voidPromise());
  }

  @Override
  protected void onSubAck(ChannelHandlerContext ctx, int code) {
    if (code >= 0x80) {
      fail(ctx, new IllegalStateException(filter + ": SUBACK 0x" + Integer.toHexString(code)));
    } else {
      markReady();
    }
  }

  @Override
  protected void onPublish(
      ChannelHandlerContext ctx, int qos, int packetId, ByteBuf in, int from, int to) {
    if (to - from >= SEQ_OFFSET + Long.BYTES) {
      ledger.received(in.getLong(from + SEQ_OFFSET));
    } else {
      ledger.error(settings.clientId() + ": a message without the generator's header");
    }
    if (qos == 1) {
      queueAck(ctx, Packets.PUBACK, packetId);
    } else if (qos == 2) {
      queueAck(ctx, Packets.PUBREC, packetId);
    }
  }

  @Override
  protected void onAck(ChannelHandlerContext ctx, int type, int packetId, int reason) {
    if (type == Packets.PUBREL) {
      queueAck(ctx, Packets.PUBCOMP, packetId);
    } else {
      onUnexpected(ctx, type);
    }
  }

  @Override
  protected void onUnexpected(ChannelHandlerContext ctx, int type) {
    ledger.error(settings.clientId() + ": unexpected packet type " + type);
  }

  /** Leaves with a normal DISCONNECT (a persistent session stays on the broker). */
  void disconnect() {
    leaving = true;
    if (ctx != null) {
      ctx.writeAndFlush(Packets.disconnect(ctx.alloc())).addListener(f -> ctx.close());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (!leaving) {
      ledger.error(settings.clientId() + ": connection closed: " + failure());
    }
    super.channelInactive(ctx);
  }
}
