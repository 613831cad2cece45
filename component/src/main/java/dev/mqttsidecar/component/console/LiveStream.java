package dev.mqttsidecar.component.console;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A live view sent to a browser as Server-Sent Events: one {@code messages} event per batch, with
 * the number of messages the bounded buffer dropped before it. Only one write is outstanding at a
 * time; while the browser reads slowly, messages wait (and the oldest are dropped) in the buffer,
 * never in Netty's outbound queue.
 */
final class LiveStream {
  private static final int MAX_BATCH = 256;

  /**
   * A comment line this often keeps a quiet stream from looking idle to the server (which closes
   * idle connections) and finds browsers that went away.
   */
  private static final long HEARTBEAT_SECONDS = 30;

  private final ChannelHandlerContext ctx;
  private LiveView view; // set once subscribed; touched on the channel's event loop only
  private boolean writing;

  private LiveStream(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Answers {@code ctx}'s request with an event stream fed by the view {@code open} makes. A
   * refused filter is sent as one {@code refused} event, so the page can say why instead of
   * retrying.
   */
  static void start(ChannelHandlerContext ctx, Function<Runnable, LiveView> open) {
    LiveStream stream = new LiveStream(ctx);
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
        .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    ctx.write(head);
    LiveView view;
    try {
      view = open.apply(() -> ctx.executor().execute(stream::flush));
    } catch (BadRequest e) {
      ctx.write(event("refused", ConsoleJson.write(Map.of("error", e.getMessage()))));
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> ctx.close());
      return;
    }
    ctx.flush();
    stream.attach(view);
  }

  private void attach(LiveView opened) {
    ScheduledFuture<?> heartbeat =
        ctx.executor()
            .scheduleAtFixedRate(
                this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    ctx.channel()
        .closeFuture()
        .addListener(
            f -> {
              heartbeat.cancel(false);
              opened.close();
            });
    ctx.executor().execute(() -> attached(opened));
  }

  private void attached(LiveView v) {
    view = v;
    flush();
  }

  private void flush() {
    if (writing || view == null || !ctx.channel().isActive()) {
      return;
    }
    ViewerBuffer.Batch<MessageJson> batch = view.take(MAX_BATCH);
    if (batch.items().isEmpty() && batch.dropped() == 0) {
      return;
    }
    writing = true;
    byte[] data = ConsoleJson.write(Map.of("messages", batch.items(), "dropped", batch.dropped()));
    ctx.writeAndFlush(event("messages", data))
        .addListener(
            f -> {
              writing = false;
              if (f.isSuccess()) {
                flush();
              }
            });
  }

  private void heartbeat() {
    if (ctx.channel().isWritable()) {
      ctx.writeAndFlush(
          new DefaultHttpContent(
              Unpooled.wrappedBuffer(": heartbeat\n\n".getBytes(StandardCharsets.UTF_8))));
    }
  }

  private static DefaultHttpContent event(String name, byte[] json) {
    byte[] head = ("event: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\n\n".getBytes(StandardCharsets.UTF_8);
    return new DefaultHttpContent(Unpooled.wrappedBuffer(head, json, tail));
  }
}
