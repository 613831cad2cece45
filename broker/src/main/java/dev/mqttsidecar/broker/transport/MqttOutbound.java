package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.codec.PacketSize;
import dev.mqttsidecar.broker.codec.PublishMapper;
import dev.mqttsidecar.broker.codec.ReasonCode;
import dev.mqttsidecar.broker.session.Counters;
import dev.mqttsidecar.broker.session.InflightEntry;
import dev.mqttsidecar.broker.session.Outbound;
import dev.mqttsidecar.broker.session.QueuedMessage;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.sys.TrafficStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.time.Clock;

/**
 * The outbound side of an MQTT connection: writes PUBLISH/PUBREL packets to the channel, with the
 * client's limits applied (Maximum Packet Size, Topic Alias Maximum). Called on the session's
 * serial executor.
 */
final class MqttOutbound implements Outbound {

  /** What the client told the broker in CONNECT about the packets it accepts. */
  record ClientLimits(long maxPacketSize, int topicAliasMaximum, boolean problemInformation) {}

  private final Channel channel;
  private final CoalescingWriter writer;
  private final boolean mqtt5;
  private final Clock clock;
  private final Counters counters;
  private final TrafficStats stats;
  private final Runnable onTakenOver;
  private final long maxPacketSize;
  private final OutboundAliases aliases;
  private final boolean problemInformation;

  MqttOutbound(
      Channel channel,
      CoalescingWriter writer,
      boolean mqtt5,
      Clock clock,
      Counters counters,
      TrafficStats stats,
      ClientLimits limits,
      Runnable onTakenOver) {
    this.channel = channel;
    this.writer = writer;
    this.mqtt5 = mqtt5;
    this.clock = clock;
    this.counters = counters;
    this.stats = stats;
    this.maxPacketSize = limits.maxPacketSize();
    this.aliases = new OutboundAliases(limits.topicAliasMaximum());
    this.problemInformation = limits.problemInformation();
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
    OutboundAliases.Choice alias = aliases.choose(m.topic());
    MqttPublishMessage packet =
        PublishMapper.toPacket(
            m,
            packetId,
            dup,
            mqtt5,
            m.expiresAt() == null ? null : clock.instant(), // the time only matters for expiry
            mqtt5 ? message.subscriptionIds() : PublishMapper.NO_IDS,
            alias.alias(),
            alias.aliasOnly());
    if (PacketSize.of(packet, mqtt5) > maxPacketSize) {
      // Too large for this client: discard it and behave as if it had been sent [MQTT-3.1.2-25].
      packet.release();
      stats.countOversizedDropped();
      if (entry != null) {
        session.settle(entry.packetId(), entry);
      }
      return;
    }
    aliases.commit(alias);
    stats.sent(m.payloadSize());
    writer.write(packet);
  }

  @Override
  public boolean hasRoom() {
    return channel.isWritable(); // under the write buffer's high-water mark (MqttServer)
  }

  @Override
  public void pubrel(int packetId, boolean found) {
    ReasonCode reason = found ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND;
    writer.write(Packets.pubReply(MqttMessageType.PUBREL, packetId, reason, mqtt5));
  }

  @Override
  public boolean requeueOnDetach() {
    return false;
  }

  @Override
  public void takenOver() {
    onTakenOver.run();
    if (mqtt5) {
      channel
          .writeAndFlush(
              Packets.disconnect(
                  ReasonCode.SESSION_TAKEN_OVER,
                  problemInformation ? "another connection took the session over" : null,
                  maxPacketSize)) // [MQTT-3.1.4-3]
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.close();
    }
  }
}
