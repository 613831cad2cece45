package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.codec.MqttFrameDecoder;
import dev.mqttsidecar.broker.core.BrokerServices;
import dev.mqttsidecar.broker.tls.ReloadingSslContext;
import dev.mqttsidecar.broker.transport.websocket.WebSocketTransport;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;

/**
 * Builds the pipeline of a connection accepted on one listener: TLS if configured, the WebSocket
 * upgrade and frames if configured, then the MQTT stages, which see the same byte stream either
 * way: framing with decoding, and the connection (which also encodes).
 */
final class ListenerInitializer extends ChannelInitializer<SocketChannel> {
  private final Listener listener;
  private final ReloadingSslContext tls;
  private final BrokerServices services;
  private final MqttServer server;

  /**
   * @param tls the listener's TLS context, or null for a plain listener
   */
  ListenerInitializer(
      Listener listener, ReloadingSslContext tls, BrokerServices services, MqttServer server) {
    this.listener = listener;
    this.tls = tls;
    this.services = services;
    this.server = server;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (!server.admit(ch)) {
      ch.close(); // over maxConnections: nothing is read, nothing is allocated
      return;
    }
    SharedSocketAddresses.share(ch);
    try {
      addStages(ch);
    } catch (RuntimeException | Error e) {
      server.closed(ch); // no MqttConnection will uncount it when it closes
      throw e;
    }
  }

  private void addStages(SocketChannel ch) {
    int maxPacket = services.config().maxPacketSize();
    ChannelPipeline p = ch.pipeline();
    // First, so it also ends a TLS or WebSocket handshake that stalls before CONNECT.
    p.addLast(
        ConnectDeadline.NAME, new ConnectDeadline(services.config().connectTimeout().toMillis()));
    if (tls != null) {
      p.addLast("tls", tls.current().newHandler(ch.alloc()));
    }
    if (listener.protocol() == Listener.Protocol.WEBSOCKET) {
      WebSocketTransport.addTo(p, maxPacket);
    }
    addMqttStages(p, services, server, listener.name());
  }

  /**
   * The MQTT stages every connection ends with, whatever carries its bytes: framing with decoding
   * and validation, then the protocol state machine (which encodes what it writes).
   */
  static void addMqttStages(
      ChannelPipeline p, BrokerServices services, MqttServer server, String listener) {
    p.addLast("frames", new MqttFrameDecoder(services.config().maxPacketSize()))
        .addLast("mqtt", new MqttConnection(services, server, listener));
  }
}
