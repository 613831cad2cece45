package dev.mqttsidecar.broker.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.util.List;

/**
 * Sends each encoded buffer (one MQTT packet or several) as one binary WebSocket frame
 * [MQTT-6.0.0-1].
 */
final class BytesToBinaryFrames extends MessageToMessageEncoder<ByteBuf> {
  BytesToBinaryFrames() {
    super(ByteBuf.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
    out.add(new BinaryWebSocketFrame(msg.retain())); // the base class releases msg
  }
}
