package dev.mqttsidecar.broker.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.testing.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The packets encoded into a shared buffer are the bytes Netty's encoder writes for each. */
@ExtendWith(LeakCheck.class)
class BatchEncoderTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static Stream<Arguments> packets() {
    Message qos0 = Message.of("a/b", new byte[10], Qos.AT_MOST_ONCE, false);
    Message qos1 = Message.of("t/\u00fc/\u20ac", new byte[200], Qos.AT_LEAST_ONCE, true);
    Message qos2 = Message.of("big", new byte[20_000], Qos.EXACTLY_ONCE, false);
    Message empty = Message.of("clear/me", new byte[0], Qos.AT_LEAST_ONCE, true);
    List<Supplier<MqttMessage>> all =
        List.of(
            () -> PublishMapper.toPacket(qos0, 0, false, false, NOW),
            () -> PublishMapper.toPacket(qos1, 65_535, true, false, NOW),
            () -> PublishMapper.toPacket(qos2, 7, false, false, NOW),
            () -> PublishMapper.toPacket(empty, 1, false, false, NOW),
            () -> reply(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE, 1),
            () -> reply(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE, 300),
            () -> reply(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE, 65_535),
            () -> reply(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE, 2));
    return Stream.of(false, true).flatMap(v5 -> all.stream().map(p -> Arguments.of(p, v5)));
  }

  private static MqttMessage reply(MqttMessageType type, MqttQoS qos, int id) {
    return new MqttMessage(
        new MqttFixedHeader(type, false, qos, false, 0), MqttMessageIdVariableHeader.from(id));
  }

  @ParameterizedTest
  @MethodSource("packets")
  void encodesWhatNettysEncoderWrites(Supplier<MqttMessage> packet, boolean mqtt5) {
    MqttMessage ours = packet.get();
    assertThat(BatchEncoder.handles(ours)).isTrue();
    ByteBuf batch = Unpooled.buffer();
    batch.writeByte(0x55); // packets are appended behind what the batch holds
    BatchEncoder.encode(ours, mqtt5, batch);
    byte[] expected = nettyEncoding(packet.get(), mqtt5);
    assertThat(ByteBufUtil.getBytes(batch, 1, batch.readableBytes() - 1)).isEqualTo(expected);
    if (ours instanceof MqttPublishMessage p && p.content() != Unpooled.EMPTY_BUFFER) {
      assertThat(p.refCnt()).as("released once encoded").isZero();
    }
    batch.release();
  }

  @Test
  void leavesPacketsWithPropertiesOrReasonCodesToNettysEncoder() {
    Message withProps =
        new Message(
            "t",
            new byte[1],
            Qos.AT_LEAST_ONCE,
            false,
            new MessageProperties(true, null, null, null, List.of()),
            null);
    MqttMessage publish = PublishMapper.toPacket(withProps, 1, false, true, NOW);
    MqttMessage nack =
        new MqttMessage(
            new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
            new MqttPubReplyMessageVariableHeader(1, (byte) 0x97, MqttProperties.NO_PROPERTIES));
    assertThat(BatchEncoder.handles(publish)).isFalse();
    assertThat(BatchEncoder.handles(nack)).isFalse();
    assertThat(BatchEncoder.handles(Unpooled.EMPTY_BUFFER)).isFalse();
    ((MqttPublishMessage) publish).release();
  }

  private static byte[] nettyEncoding(MqttMessage packet, boolean mqtt5) {
    EmbeddedChannel ch = new EmbeddedChannel(MqttEncoder.INSTANCE);
    if (mqtt5) {
      // The encoder reads the protocol version from this channel attribute (set by the decoder).
      ch.attr(AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION"))
          .set(MqttVersion.MQTT_5);
    }
    ch.writeOutbound(packet);
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
      all.writeBytes(b);
      b.release();
    }
    ch.finishAndReleaseAll();
    byte[] bytes = ByteBufUtil.getBytes(all);
    all.release();
    return bytes;
  }
}
