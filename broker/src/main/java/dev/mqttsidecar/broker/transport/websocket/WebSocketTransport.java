package dev.mqttsidecar.broker.transport.websocket;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Adds MQTT over WebSocket to a pipeline: HTTP until the upgrade, then WebSocket frames in and out.
 * What follows the handlers added here reads and writes plain MQTT bytes, as over TCP.
 */
public final class WebSocketTransport {
  /** The one path MQTT is served on. */
  public static final String PATH = "/mqtt";

  /** Accepted subprotocols: {@code mqtt}, and {@code mqttv3.1} which old 3.1 clients offer. */
  static final String SUBPROTOCOLS = "mqtt,mqttv3.1";

  /** The upgrade request has no body; anything bigger than this is refused with 413. */
  private static final int MAX_REQUEST_BODY = 8 * 1024;

  private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  private WebSocketTransport() {}

  /**
   * Appends the WebSocket handlers to {@code pipeline}.
   *
   * @param maxFramePayload largest frame accepted; larger ones close the connection with 1009
   *     (message too big). A packet may span frames, so the broker's packet limit is a fitting one.
   */
  public static void addTo(ChannelPipeline pipeline, int maxFramePayload) {
    WebSocketServerProtocolConfig config =
        WebSocketServerProtocolConfig.newBuilder()
            .websocketPath(PATH)
            .subprotocols(SUBPROTOCOLS)
            .checkStartsWith(true) // a query string after the path is fine; the path is checked
            .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS)
            .handleCloseFrames(true)
            .dropPongFrames(true)
            .decoderConfig(
                WebSocketDecoderConfig.newBuilder()
                    .maxFramePayloadLength(maxFramePayload)
                    .expectMaskedFrames(true) // clients must mask (RFC 6455 section 5.1)
                    .allowExtensions(false)
                    .closeOnProtocolViolation(true)
                    .build())
            .build();
    pipeline
        .addLast("http", new HttpServerCodec())
        .addLast("httpAggregator", new HttpObjectAggregator(MAX_REQUEST_BODY))
        .addLast("wsUpgradeCheck", new UpgradeRequestCheck())
        .addLast("ws", new WebSocketServerProtocolHandler(config))
        .addLast("wsFrames", new BinaryFramesToBytes())
        .addLast("wsEncoder", new BytesToBinaryFrames());
  }
}
