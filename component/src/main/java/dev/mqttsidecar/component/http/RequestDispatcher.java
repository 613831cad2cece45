package dev.mqttsidecar.component.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each aggregated request to its route and writes the reply: 404 for an unknown path, 405 for
 * a known path with another method, 500 (logged) when the handler fails. A handler's failure never
 * closes the server, and only its own request's connection at most.
 */
final class RequestDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

  /** Largest WebSocket frame accepted from a browser. */
  private static final int MAX_WEB_SOCKET_FRAME = 64 * 1024;

  private final HttpRoutes routes;

  RequestDispatcher(HttpRoutes routes) {
    this.routes = routes;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      write(ctx, request, HttpReply.text(HttpResponseStatus.BAD_REQUEST, "malformed request"));
      return;
    }
    QueryStringDecoder uri;
    try {
      uri = new QueryStringDecoder(request.uri());
      uri.parameters(); // decodes now, so a bad escape is a 400 here
    } catch (IllegalArgumentException e) {
      write(ctx, request, HttpReply.text(HttpResponseStatus.BAD_REQUEST, "bad URL encoding"));
      return;
    }
    String path = uri.path();
    WebSocketRoute webSocket = routes.webSocketAt(path);
    if (webSocket != null && isUpgrade(request)) {
      upgrade(ctx, request, webSocket, new HttpExchange(ctx, request, uri, ""));
      return;
    }
    HttpRoutes.Route route = routes.find(request.method(), path);
    if (route == null) {
      write(ctx, request, notFound(path));
      return;
    }
    String remainder = route.prefix() ? path.substring(route.path().length()) : "";
    HttpExchange exchange = new HttpExchange(ctx, request, uri, remainder);
    CompletionStage<HttpReply> reply;
    try {
      reply = route.handler().handle(exchange);
    } catch (Exception | LinkageError e) {
      write(ctx, request, failed(request, e));
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    String description = request.method() + " " + path;
    reply.whenComplete(
        (answer, error) -> {
          if (error != null) {
            write(ctx, keepAlive, failed(description, error));
          } else if (answer != HttpReply.TAKEN_OVER) {
            write(ctx, keepAlive, answer);
          }
        });
  }

  private HttpReply notFound(String path) {
    if (routes.pathExists(path)) {
      return HttpReply.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed")
          .withHeader(HttpHeaderNames.ALLOW.toString(), routes.allowedMethods(path));
    }
    return HttpReply.text(HttpResponseStatus.NOT_FOUND, "not found: " + path);
  }

  private void upgrade(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      WebSocketRoute route,
      HttpExchange exchange) {
    HttpReply refusal;
    try {
      refusal = route.admit(exchange);
    } catch (RuntimeException e) {
      refusal = failed(request, e);
    }
    if (refusal != null) {
      write(ctx, request, refusal);
      return;
    }
    // The protocol handler completes the handshake on the request fired again below; from then on
    // the connection carries frames only, so this dispatcher leaves the pipeline. A live stream may
    // be quiet for long: the idle timeout of request connections no longer applies.
    ctx.pipeline().remove(IdleConnectionCloser.class);
    ctx.pipeline()
        .addAfter(
            ctx.name(),
            "ws-protocol",
            new WebSocketServerProtocolHandler(
                exchange.path(), null, true, MAX_WEB_SOCKET_FRAME, false, true))
        .addAfter("ws-protocol", "ws-frames", route.frames(exchange))
        .remove(this);
    ctx.fireChannelRead(request.retain());
  }

  private static boolean isUpgrade(FullHttpRequest request) {
    return request
        .headers()
        .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
  }

  private static HttpReply failed(FullHttpRequest request, Throwable e) {
    return failed(request.method() + " " + request.uri(), e);
  }

  private static HttpReply failed(String request, Throwable e) {
    log.error("HTTP {} failed", request, e);
    return HttpReply.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
  }

  private static void write(ChannelHandlerContext ctx, FullHttpRequest request, HttpReply reply) {
    write(ctx, HttpUtil.isKeepAlive(request), reply);
  }

  static void write(ChannelHandlerContext ctx, boolean keepAlive, HttpReply reply) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, reply.status(), Unpooled.wrappedBuffer(reply.body()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
    for (Map.Entry<String, String> header : reply.headers().entrySet()) {
      response.headers().set(header.getKey(), header.getValue());
    }
    if (keepAlive) {
      HttpUtil.setKeepAlive(response, true);
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
