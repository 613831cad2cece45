package dev.mqttsidecar.broker.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.UserProperty;
import dev.mqttsidecar.broker.testing.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The computed size of an outbound PUBLISH equals what Netty's encoder writes; the Maximum Packet
 * Size check [MQTT-3.1.2-24] depends on it.
 */
@ExtendWith(LeakCheck.class)
class PacketSizeTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static Stream<Arguments> packets() {
    MessageProperties rich =
        new MessageProperties(
            true,
            "application/json",
            "reply/\u00e9",
            new byte[] {1, 2, 3},
            List.of(new UserProperty("k", "v"), new UserProperty("k", "v\u20ac2")));
    Message plain = Message.of("a/b", new byte[10], Qos.AT_MOST_ONCE, false);
    Message withProps =
        new Message("t/\u00fc", new byte[300], Qos.AT_LEAST_ONCE, true, rich, NOW.plusSeconds(60));
    Message big = Message.of("big", new byte[20_000], Qos.EXACTLY_ONCE, false);
    return Stream.of(
        Arguments.of(plain, false, new int[0], 0, false),
        Arguments.of(plain, true, new int[0], 0, false),
        Arguments.of(withProps, true, new int[] {1, 200, 300_000}, 7, false),
        Arguments.of(withProps, true, new int[0], 7, true),
        Arguments.of(withProps, false, new int[0], 0, false),
        Arguments.of(big, true, new int[] {5}, 0, false));
  }

  @ParameterizedTest
  @MethodSource("packets")
  void computedSizeMatchesTheEncoder(
      Message m, boolean mqtt5, int[] ids, int alias, boolean aliasOnly) {
    int packetId = m.qos() == Qos.AT_MOST_ONCE ? 0 : 1;
    MqttPublishMessage packet =
        PublishMapper.toPacket(m, packetId, false, mqtt5, NOW, ids, alias, aliasOnly);
    long computed = PacketSize.of(packet, mqtt5);
    EmbeddedChannel ch = new EmbeddedChannel(MqttEncoder.INSTANCE);
    if (mqtt5) {
      // The encoder reads the protocol version from this channel attribute (set by the decoder).
      ch.attr(AttributeKey.<MqttVersion>valueOf("NETTY_CODEC_MQTT_VERSION"))
          .set(MqttVersion.MQTT_5);
    }
    ch.writeOutbound(packet);
    long encoded = 0;
    for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
      encoded += b.readableBytes();
      b.release();
    }
    ch.finishAndReleaseAll();
    assertThat(computed).isEqualTo(encoded);
  }
}
