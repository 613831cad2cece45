package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.codec.MqttFrameValidator;
import dev.mqttsidecar.broker.core.BrokerServices;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** Builds the pipeline of a connection accepted on one listener. */
final class ListenerInitializer extends ChannelInitializer<SocketChannel> {
  private final Listener listener;
  private final BrokerServices services;
  private final MqttServer server;

  ListenerInitializer(Listener listener, BrokerServices services, MqttServer server) {
    if (listener.tls() != null || listener.protocol() != Listener.Protocol.MQTT) {
      throw new IllegalArgumentException(
          "listener " + listener.name() + ": only plain MQTT over TCP is implemented");
    }
    this.listener = listener;
    this.services = services;
    this.server = server;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    server.track(ch);
    int maxPacket = services.config().maxPacketSize();
    ch.pipeline()
        .addLast(
            "connectTimeout",
            new IdleStateHandler(MqttServer.CONNECT_TIMEOUT_SECONDS, 0, 0, TimeUnit.SECONDS))
        .addLast("frames", new MqttFrameValidator(maxPacket))
        .addLast("decoder", new MqttDecoder(maxPacket, 65535))
        .addLast("encoder", MqttEncoder.INSTANCE)
        .addLast("mqtt", new MqttConnection(services, server, listener.name()));
  }
}
