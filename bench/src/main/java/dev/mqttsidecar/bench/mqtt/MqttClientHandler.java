package dev.mqttsidecar.bench.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A generator connection: sends CONNECT when the socket is up, frames inbound packets and hands
 * them to the subclass without building message objects (the payload is read in place, which keeps
 * the generator cheap next to the broker it measures). Protocol errors and early closes fail {@link
 * #ready()}. Subclasses complete it when they are set up (connected, or subscribed).
 */
public abstract class MqttClientHandler extends ByteToMessageDecoder {
  protected final ClientSettings settings;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private volatile Throwable failure;
  private ByteBuf pendingAcks;

  protected MqttClientHandler(ClientSettings settings) {
    this.settings = settings;
  }

  /** Completes when the connection is ready for the run; fails if it never gets there. */
  public CompletableFuture<Void> ready() {
    return ready;
  }

  /** Why the connection failed or closed early, or null. */
  public Throwable failure() {
    return failure;
  }

  protected final void markReady() {
    ready.complete(null);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    ctx.writeAndFlush(Packets.connect(ctx.alloc(), settings));
    super.channelActive(ctx);
  }

  @Override
  protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable(2)) {
      int start = in.readerIndex();
      int limit = in.writerIndex();
      int header = in.getUnsignedByte(start);
      int pos = start + 1;
      int remaining = 0;
      int shift = 0;
      int b;
      do {
        if (pos >= limit) {
          return; // length not complete yet
        }
        if (shift > 21) {
          throw new CorruptedFrameException("remaining length longer than 4 bytes");
        }
        b = in.getUnsignedByte(pos++);
        remaining |= (b & 0x7F) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      if (limit - pos < remaining) {
        return; // packet not complete yet
      }
      int end = pos + remaining;
      dispatch(ctx, header, in, pos, end);
      in.readerIndex(end);
      if (ctx.isRemoved() || !ctx.channel().isOpen()) {
        return;
      }
    }
  }

  private void dispatch(ChannelHandlerContext ctx, int header, ByteBuf in, int pos, int end) {
    int type = header >> 4;
    switch (type) {
      case Packets.CONNACK -> {
        int code = in.getUnsignedByte(pos + 1);
        if (code != 0) {
          fail(
              ctx,
              new IllegalStateException(
                  settings.clientId() + ": CONNACK refused, code 0x" + Integer.toHexString(code)));
        } else {
          onConnected(ctx);
        }
      }
      case Packets.PUBLISH -> {
        int qos = (header >> 1) & 3;
        int p = pos + 2 + in.getUnsignedShort(pos);
        int packetId = 0;
        if (qos > 0) {
          packetId = in.getUnsignedShort(p);
          p += 2;
        }
        if (settings.isV5()) {
          p = skipProperties(in, p);
        }
        onPublish(ctx, qos, packetId, in, p, end);
      }
      case Packets.PUBACK, Packets.PUBREC, Packets.PUBREL, Packets.PUBCOMP -> {
        int reason = end - pos > 2 ? in.getUnsignedByte(pos + 2) : 0;
        onAck(ctx, type, in.getUnsignedShort(pos), reason);
      }
      case Packets.SUBACK -> {
        int p = pos + 2;
        if (settings.isV5()) {
          p = skipProperties(in, p);
        }
        onSubAck(ctx, in.getUnsignedByte(p));
      }
      case Packets.PINGRESP -> {}
      case Packets.DISCONNECT ->
          fail(ctx, new IllegalStateException(settings.clientId() + ": broker sent DISCONNECT"));
      default -> onUnexpected(ctx, type);
    }
  }

  private static int skipProperties(ByteBuf in, int p) {
    int length = 0;
    int shift = 0;
    int b;
    do {
      b = in.getUnsignedByte(p++);
      length |= (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0 && shift <= 21);
    return p + length;
  }

  /** CONNACK accepted. */
  protected abstract void onConnected(ChannelHandlerContext ctx);

  /** A PUBLISH; its payload is {@code in[from, to)}, readable only during this call. */
  protected void onPublish(
      ChannelHandlerContext ctx, int qos, int packetId, ByteBuf in, int from, int to) {
    onUnexpected(ctx, Packets.PUBLISH);
  }

  /** PUBACK, PUBREC, PUBREL or PUBCOMP; {@code reason} is the 5.0 reason code (0 = success). */
  protected void onAck(ChannelHandlerContext ctx, int type, int packetId, int reason) {
    onUnexpected(ctx, type);
  }

  /** SUBACK for the one filter subscribed: granted QoS, or a failure code >= 0x80. */
  protected void onSubAck(ChannelHandlerContext ctx, int code) {
    onUnexpected(ctx, Packets.SUBACK);
  }

  /** A packet this connection did not expect. */
  protected void onUnexpected(ChannelHandlerContext ctx, int type) {}

  /** Queues an acknowledgement; all queued ones go out in one write when the read burst ends. */
  protected final void queueAck(ChannelHandlerContext ctx, int type, int packetId) {
    if (pendingAcks == null) {
      pendingAcks = ctx.alloc().buffer(256);
    }
    Packets.writeAck(pendingAcks, type, packetId);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
    if (pendingAcks != null) {
      ByteBuf acks = pendingAcks;
      pendingAcks = null;
      ctx.writeAndFlush(acks, ctx.voidPromise());
    }
    super.channelReadComplete(ctx);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    if (pendingAcks != null) {
      pendingAcks.release();
      pendingAcks = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    ready.completeExceptionally(
        new IllegalStateException(settings.clientId() + ": connection closed"));
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(ctx, cause);
  }

  protected final void fail(ChannelHandlerContext ctx, Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    ready.completeExceptionally(cause);
    ctx.close();
  }
}
