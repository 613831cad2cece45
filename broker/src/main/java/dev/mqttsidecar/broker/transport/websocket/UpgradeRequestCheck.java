package dev.mqttsidecar.broker.transport.websocket;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Answers upgrade requests Netty's handshaker would not refuse: a path other than {@code /mqtt}
 * gets 404 (Netty would pass it on unanswered), and a request that does not offer an MQTT
 * subprotocol gets 400 (Netty would upgrade it without one) [MQTT-6.0.0-3]. Method, upgrade headers
 * and WebSocket version are left to the handshaker. Removes itself once a request passes.
 */
final class UpgradeRequestCheck extends ChannelInboundHandlerAdapter {
  private static final Set<String> SUBPROTOCOLS =
      Set.of(WebSocketTransport.SUBPROTOCOLS.split(","));

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    Refusal refusal = refusal(request);
    if (refusal != null) {
      request.release();
      refuse(ctx, refusal);
      return;
    }
    ctx.fireChannelRead(request);
    ctx.pipeline().remove(this);
  }

  private record Refusal(HttpResponseStatus status, String text) {}

  private static Refusal refusal(FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      return new Refusal(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
    }
    String path = new QueryStringDecoder(request.uri()).path();
    if (!WebSocketTransport.PATH.equals(path)) {
      return new Refusal(
          HttpResponseStatus.NOT_FOUND,
          "MQTT over WebSocket is served on " + WebSocketTransport.PATH);
    }
    String offered = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
    if (offered != null) {
      for (String protocol : offered.split(",")) {
        if (SUBPROTOCOLS.contains(protocol.trim())) {
          return null;
        }
      }
    }
    return new Refusal(
        HttpResponseStatus.BAD_REQUEST, "the Sec-WebSocket-Protocol header must offer mqtt");
  }

  private static void refuse(ChannelHandlerContext ctx, Refusal refusal) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            refusal.status(),
            Unpooled.copiedBuffer(refusal.text() + "\n", StandardCharsets.UTF_8));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
