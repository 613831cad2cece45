package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.codec.PacketSize;
import dev.mqttsidecar.broker.codec.PublishMapper;
import dev.mqttsidecar.broker.codec.ReasonCode;
import dev.mqttsidecar.broker.session.InflightEntry;
import dev.mqttsidecar.broker.session.Outbound;
import dev.mqttsidecar.broker.session.QueuedMessage;
import dev.mqttsidecar.broker.session.Session;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;

/**
 * The outbound side of an MQTT connection: writes PUBLISH/PUBREL packets to the channel, with the
 * client's limits applied (Maximum Packet Size, Topic Alias Maximum). Called on the session's
 * serial executor. Reads what it needs from its connection rather than keeping copies: there is one
 * per connected client.
 */
final class MqttOutbound implements Outbound {

  /** What the client told the broker in CONNECT about the packets it accepts. */
  record ClientLimits(long maxPacketSize, int topicAliasMaximum, boolean problemInformation) {}

  private final MqttConnection conn;
  private OutboundAliases aliases; // made by the first PUBLISH to a client that takes aliases

  MqttOutbound(MqttConnection conn) {
    this.conn = conn;
  }

  @Override
  public void publish(Session session, InflightEntry entry, QueuedMessage message, boolean dup) {
    Message m = message.delivered();
    Channel channel = conn.channel;
    if (entry == null && !channel.isWritable()) {
      conn.services.counters().countQos0Dropped(); // QoS 0 may be dropped [MQTT-4.3.1]
      return;
    }
    int packetId = entry == null ? 0 : entry.packetId();
    ClientLimits limits = conn.clientLimits;
    OutboundAliases.Choice alias = null;
    if (limits.topicAliasMaximum() > 0) {
      if (aliases == null) {
        aliases = new OutboundAliases(limits.topicAliasMaximum());
      }
      alias = aliases.choose(m.topic());
    }
    boolean mqtt5 = conn.mqtt5;
    MqttPublishMessage packet =
        PublishMapper.toPacket(
            m,
            packetId,
            dup,
            mqtt5,
            // the time only matters for expiry
            m.expiresAt() == null ? null : conn.services.config().clock().instant(),
            mqtt5 ? message.subscriptionIds() : PublishMapper.NO_IDS,
            alias == null ? 0 : alias.alias(),
            alias != null && alias.aliasOnly());
    if (PacketSize.of(packet, mqtt5) > limits.maxPacketSize()) {
      // Too large for this client: discard it and behave as if it had been sent [MQTT-3.1.2-25].
      packet.release();
      conn.server.stats().countOversizedDropped();
      if (entry != null) {
        session.settle(entry.packetId(), entry);
      }
      return;
    }
    if (alias != null) {
      aliases.commit(alias);
    }
    conn.server.stats().sent(entry == null ? 0 : m.qos().value(), m.payloadSize());
    conn.send(packet);
  }

  @Override
  public boolean hasRoom() {
    return conn.channel.isWritable(); // under the write buffer's high-water mark (MqttServer)
  }

  @Override
  public void pubrel(int packetId, boolean found) {
    ReasonCode reason = found ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND;
    conn.send(Packets.pubReply(MqttMessageType.PUBREL, packetId, reason, conn.mqtt5));
  }

  @Override
  public boolean requeueOnDetach() {
    return false;
  }

  @Override
  public void takenOver() {
    conn.onEventLoop(conn::sessionTakenOver);
    Channel channel = conn.channel;
    if (conn.mqtt5) {
      ClientLimits limits = conn.clientLimits;
      channel
          .writeAndFlush(
              Packets.disconnect(
                  ReasonCode.SESSION_TAKEN_OVER,
                  limits.problemInformation() ? "another connection took the session over" : null,
                  limits.maxPacketSize())) // [MQTT-3.1.4-3]
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.close();
    }
  }
}
