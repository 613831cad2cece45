package dev.mqttsidecar.component.http;

import io.netty.channel.ChannelHandler;

/**
 * A path whose GET requests with {@code Upgrade: websocket} become WebSocket connections: the
 * server completes the handshake (Netty's {@code WebSocketServerProtocolHandler}) and hands the
 * frames to {@link #frames}.
 */
public interface WebSocketRoute {
  /**
   * Decides whether the upgrade may happen (authentication, for example).
   *
   * @return null to upgrade, or the refusal to answer instead
   */
  default HttpReply admit(HttpExchange exchange) {
    return null;
  }

  /**
   * The handler of this connection's frames ({@code WebSocketFrame}s), added to the pipeline after
   * the protocol handler; it sees Netty's {@code HandshakeComplete} user event once upgraded.
   */
  ChannelHandler frames(HttpExchange exchange);
}
