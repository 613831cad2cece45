package dev.mqttsidecar.component.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.component.testing.HttpCalls;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP server and its route registry, through real HTTP requests on a free loopback port. */
class HttpServerTest {
  private final HttpRoutes routes = new HttpRoutes();
  private HttpServer server;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    server = new HttpServer(HttpSettings.anyFreePort().withMaxRequestBody(1024), routes, null);
    server.start();
    base = URI.create("http://127.0.0.1:" + server.address().getPort());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void anExactRouteAnswersAndOthersAre404Or405() throws Exception {
    routes.get("/hello", exchange -> HttpReply.text(HttpResponseStatus.OK, "hi").done());

    HttpResponse<String> hello = HttpCalls.get(base, "/hello");
    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(hello.body()).isEqualTo("hi\n");
    assertThat(hello.headers().firstValue("content-type")).hasValue(HttpReply.TEXT);

    assertThat(HttpCalls.get(base, "/nothing").statusCode()).isEqualTo(404);
    HttpResponse<String> wrongMethod = HttpCalls.post(base, "/hello", new byte[0]);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("allow")).hasValue("GET");
  }

  @Test
  void aPrefixRouteGetsTheDecodedRestOfThePathAndTheQuery() throws Exception {
    routes.post(
        "/topics/*",
        exchange ->
            HttpReply.text(
                    HttpResponseStatus.OK,
                    exchange.remainder()
                        + "|"
                        + exchange.queryParameter("qos")
                        + "|"
                        + new String(exchange.body(), StandardCharsets.UTF_8))
                .done());

    HttpResponse<String> answer =
        HttpCalls.post(
            base, "/topics/a/b%2Fc/d%20e%2B?qos=0", "body".getBytes(StandardCharsets.UTF_8));

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo("a/b/c/d e+|0|body\n");
  }

  @Test
  void aReplyMayComeLaterFromAnotherThread() throws Exception {
    routes.get(
        "/later",
        exchange ->
            CompletableFuture.supplyAsync(
                () -> HttpReply.text(HttpResponseStatus.ACCEPTED, "done"),
                CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)));

    HttpResponse<String> answer = HttpCalls.get(base, "/later");

    assertThat(answer.statusCode()).isEqualTo(202);
    assertThat(answer.body()).isEqualTo("done\n");
  }

  @Test
  void aFailingHandlerIsA500AndTheServerKeepsServing() throws Exception {
    routes.get(
        "/throws",
        exchange -> {
          throw new IllegalStateException("broken handler");
        });
    routes.get(
        "/fails-later",
        exchange -> CompletableFuture.failedFuture(new IllegalStateException("broken later")));
    routes.get("/ok", exchange -> HttpReply.text(HttpResponseStatus.OK, "ok").done());

    assertThat(HttpCalls.get(base, "/throws").statusCode()).isEqualTo(500);
    assertThat(HttpCalls.get(base, "/fails-later").statusCode()).isEqualTo(500);
    assertThat(HttpCalls.get(base, "/ok").statusCode()).isEqualTo(200);
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    AtomicReference<Integer> seen = new AtomicReference<>();
    routes.post(
        "/upload",
        exchange -> {
          seen.set(exchange.body().length);
          return HttpReply.text(HttpResponseStatus.OK, "stored").done();
        });

    assertThat(HttpCalls.post(base, "/upload", new byte[1024]).statusCode()).isEqualTo(200);
    assertThat(HttpCalls.post(base, "/upload", new byte[1025]).statusCode()).isEqualTo(413);
    assertThat(seen.get()).isEqualTo(1024);
  }

  @Test
  void aRouteCanBeUpgradedToAWebSocket() throws Exception {
    routes.webSocket(
        "/echo",
        exchange ->
            new SimpleChannelInboundHandler<TextWebSocketFrame>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                ctx.writeAndFlush(new TextWebSocketFrame("echo " + frame.text()));
              }
            });
    CompletableFuture<String> received = new CompletableFuture<>();
    WebSocket socket =
        HttpCalls.client()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + server.address().getPort() + "/echo"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    received.complete(data.toString());
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);

    socket.sendText("ping", true).get(10, TimeUnit.SECONDS);

    assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("echo ping");
    socket.abort();
  }

  @Test
  void aHandlerMayTakeTheConnectionOverForAServerSentEventStream() throws Exception {
    routes.get(
        "/events",
        exchange -> {
          ChannelHandlerContext ctx = exchange.context();
          EventStreamHead.start(ctx);
          for (int i = 0; i < 3; i++) {
            ctx.writeAndFlush(
                new DefaultHttpContent(
                    Unpooled.copiedBuffer("data: event " + i + "\n\n", StandardCharsets.UTF_8)));
          }
          ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
          return HttpReply.TAKEN_OVER.done();
        });

    HttpResponse<String> stream = HttpCalls.get(base, "/events");

    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(stream.body()).isEqualTo("data: event 0\n\ndata: event 1\n\ndata: event 2\n\n");
  }

  /** The head of a chunked {@code text/event-stream} response. */
  private static final class EventStreamHead {
    static void start(ChannelHandlerContext ctx) {
      DefaultHttpResponse head =
          new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
      HttpUtil.setTransferEncodingChunked(head, true);
      ctx.writeAndFlush(head);
    }
  }

  @Test
  void readyzIs503WithTheReasonsUntilReadyAndHealthzIsAlways200() throws Exception {
    AtomicReference<List<String>> reasons =
        new AtomicReference<>(List.of("store not open", "component socket not serving"));
    HealthRoutes.register(routes, reasons::get);

    HttpResponse<String> notReady = HttpCalls.get(base, "/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body())
        .isEqualTo("not ready: store not open; component socket not serving\n");
    assertThat(HttpCalls.get(base, "/healthz").statusCode()).isEqualTo(200);

    reasons.set(List.of());
    assertThat(HttpCalls.get(base, "/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void aBadlyEscapedUrlIs400() throws Exception {
    routes.get("/hello", exchange -> HttpReply.text(HttpResponseStatus.OK, "hi").done());

    // java.net.URI refuses to build such a URL: written by hand on a plain socket.
    try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              "GET /hello?x=%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(answer).startsWith("HTTP/1.1 400 ").contains("bad URL encoding");
    }
  }
}
