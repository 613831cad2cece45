package dev.mqttsidecar.component.console;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The console on Netty's HTTP codec: static files under {@code /console/}, the JSON API under
 * {@code /console/api/} and the live view's event stream at {@code /console/api/live}.
 */
public final class ConsoleHttp {
  public static final String PATH = "/console";
  private static final String API = PATH + "/api/";

  private final ConsoleApi api;
  private final Function<LiveRequest, LiveView> liveViews;

  /** What a live view is asked for: a filter, and whom to tell when messages arrive. */
  public record LiveRequest(String filter, Runnable onAvailable) {}

  public ConsoleHttp(ConsoleApi api, Function<LiveRequest, LiveView> liveViews) {
    this.api = api;
    this.liveViews = liveViews;
  }

  /** Whether {@code path} (without query) is the console's. */
  public static boolean owns(String path) {
    return path.equals(PATH) || path.startsWith(PATH + "/");
  }

  /** Answers a request for a path the console {@link #owns}; the request stays the caller's. */
  public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    String path = uri.path();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!owns(path)) {
      send(ctx, response(ConsoleResponse.error(404, "not found")), keepAlive);
      return;
    }
    if (path.equals(PATH)) {
      FullHttpResponse redirect = response(new ConsoleResponse(301, "text/plain", new byte[0]));
      redirect.headers().set(HttpHeaderNames.LOCATION, PATH + "/");
      send(ctx, redirect, keepAlive);
      return;
    }
    if (!path.startsWith(API)) {
      String name = path.substring(PATH.length() + 1);
      send(
          ctx,
          response(
              ConsoleAssets.file(name)
                  .orElseGet(() -> ConsoleResponse.error(404, "no console file " + name))),
          keepAlive);
      return;
    }
    String route = path.substring(API.length());
    Map<String, String> query = firstValues(uri.parameters());
    if (route.equals("live") && request.method().name().equals("GET")) {
      String filter = query.getOrDefault("filter", "");
      LiveStream.start(
          ctx,
          onAvailable -> {
            if (filter.isEmpty()) {
              throw new BadRequest("query parameter 'filter' is required");
            }
            return liveViews.apply(new LiveRequest(filter, onAvailable));
          });
      return;
    }
    byte[] body = ByteBufUtil.getBytes(request.content());
    api.handle(new ConsoleRequest(request.method().name(), route, query, body))
        .thenAccept(r -> ctx.executor().execute(() -> send(ctx, response(r), keepAlive)));
  }

  private static Map<String, String> firstValues(Map<String, List<String>> parameters) {
    Map<String, String> out = new HashMap<>();
    parameters.forEach((name, values) -> out.put(name, values.get(0)));
    return out;
  }

  private static FullHttpResponse response(ConsoleResponse r) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(r.status()),
            Unpooled.wrappedBuffer(r.body()));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, r.contentType())
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set("X-Content-Type-Options", "nosniff")
        // Everything the page needs comes from here: no inline script, no other origin.
        .set("Content-Security-Policy", "default-src 'self'")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
    return response;
  }

  private static void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keep) {
    HttpUtil.setKeepAlive(response, keep);
    var written = ctx.writeAndFlush(response);
    if (!keep) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
