package dev.mqttsidecar.bench.conn;

import dev.mqttsidecar.bench.mqtt.ClientSettings;
import dev.mqttsidecar.bench.mqtt.MqttClientHandler;
import io.netty.channel.ChannelHandlerContext;

/** A connection that connects and then stays idle. */
final class IdleClientHandler extends MqttClientHandler {
  IdleClientHandler(ClientSettings settings) {
    super(settings);
  }

  @Override
  protected void onConnected(ChannelHandlerContext ctx) {
    markReady();
  }
}
