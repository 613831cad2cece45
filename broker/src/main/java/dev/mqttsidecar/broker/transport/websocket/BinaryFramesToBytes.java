package dev.mqttsidecar.broker.transport.websocket;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * Turns binary data frames into the MQTT byte stream. Frame boundaries mean nothing to MQTT: a
 * packet may span frames and a frame may hold several packets [MQTT-6.0.0-2]; the frame validator
 * behind this reassembles packets. Any other data frame closes the connection with 1003
 * [MQTT-6.0.0-1]. Ping, pong and close frames are handled before this.
 */
final class BinaryFramesToBytes extends MessageToMessageDecoder<WebSocketFrame> {
  private boolean closing;

  BinaryFramesToBytes() {
    super(WebSocketFrame.class);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
    if (closing) {
      return; // the frame is released by the base class
    }
    if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
      if (frame.content().isReadable()) {
        out.add(frame.content().retain());
      }
      return;
    }
    closing = true;
    ctx.writeAndFlush(
            new CloseWebSocketFrame(
                WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "MQTT needs binary frames"))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
