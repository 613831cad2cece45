package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.codec.PublishMapper;
import dev.mqttsidecar.broker.codec.ReasonCode;
import dev.mqttsidecar.broker.session.Counters;
import dev.mqttsidecar.broker.session.InflightEntry;
import dev.mqttsidecar.broker.session.Outbound;
import dev.mqttsidecar.broker.session.QueuedMessage;
import dev.mqttsidecar.broker.session.Session;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.mqtt.MqttMessageType;
import java.time.Clock;

/** The outbound side of an MQTT connection: writes PUBLISH/PUBREL packets to the channel. */
final class MqttOutbound implements Outbound {
  private final Channel channel;
  private final boolean mqtt5;
  private final Clock clock;
  private final Counters counters;
  private final Runnable onTakenOver;

  MqttOutbound(
      Channel channel, boolean mqtt5, Clock clock, Counters counters, Runnable onTakenOver) {
    this.channel = channel;
    this.mqtt5 = mqtt5;
    this.clock = clock;
    this.counters = counters;
    this.onTakenOver = onTakenOver;
  }

  @Override
  public void publish(Session session, InflightEntry entry, QueuedMessage message, boolean dup) {
    Message m = message.delivered();
    if (entry == null && !channel.isWritable()) {
      counters.countQos0Dropped(); // QoS 0 may be dropped for a slow receiver [MQTT-4.3.1]
      return;
    }
    int packetId = entry == null ? 0 : entry.packetId();
    channel.writeAndFlush(PublishMapper.toPacket(m, packetId, dup, mqtt5, clock.instant()));
  }

  @Override
  public void pubrel(int packetId, boolean found) {
    ReasonCode reason = found ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND;
    channel.writeAndFlush(Packets.pubReply(MqttMessageType.PUBREL, packetId, reason, mqtt5));
  }

  @Override
  public boolean requeueOnDetach() {
    return false;
  }

  @Override
  public void takenOver() {
    channel.eventLoop().execute(onTakenOver);
    if (mqtt5) {
      channel
          .writeAndFlush(Packets.disconnect(ReasonCode.SESSION_TAKEN_OVER)) // [MQTT-3.1.4-3]
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.close();
    }
  }
}
