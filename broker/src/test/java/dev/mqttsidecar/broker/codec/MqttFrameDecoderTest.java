package dev.mqttsidecar.broker.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.Mqtt5Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Framing, fixed-header validation and decoding with the thread's shared decoder, byte by byte.
 * Several channels on one thread stand for several connections on one event loop.
 */
@ExtendWith(LeakCheck.class)
class MqttFrameDecoderTest {
  private final EmbeddedChannel channel = new EmbeddedChannel(new MqttFrameDecoder(64));
  private final EmbeddedChannel other = new EmbeddedChannel(new MqttFrameDecoder(64));

  @AfterEach
  void close() {
    for (EmbeddedChannel ch : List.of(channel, other)) {
      for (Object o : outputs(ch)) {
        ReferenceCountUtil.release(o);
      }
      ch.finishAndReleaseAll();
    }
  }

  private static List<Object> outputs(EmbeddedChannel ch) {
    List<Object> out = new ArrayList<>();
    for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
      out.add(o);
    }
    return out;
  }

  private List<Object> outputs() {
    return outputs(channel);
  }

  private List<Object> feed(int... bytes) {
    return feed(channel, bytes);
  }

  private static List<Object> feed(EmbeddedChannel ch, int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    ch.writeInbound(Unpooled.wrappedBuffer(b));
    return outputs(ch);
  }

  private static MqttMessageType type(Object packet) {
    return ((MqttMessage) packet).fixedHeader().messageType();
  }

  private static String filter(List<Object> out) {
    assertThat(out).hasSize(1);
    return ((MqttSubscribeMessage) out.get(0)).payload().topicSubscriptions().get(0).topicFilter();
  }

  /** A frame that decoded to anything but one packet: malformed, as a value or a failed packet. */
  private static void assertMalformed(List<Object> out) {
    assertThat(out).hasSize(1);
    Object o = out.get(0);
    if (o instanceof ProtocolViolation v) {
      assertThat(v.reason()).isEqualTo(ReasonCode.MALFORMED_PACKET);
    } else {
      assertThat(((MqttMessage) o).decoderResult().isFailure()).isTrue();
    }
  }

  private static void release(List<Object> out) {
    out.forEach(ReferenceCountUtil::release);
  }

  @Test
  void wholePacketIsDecodedToOnePacket() {
    List<Object> out =
        feed(
            0x30, 0x05, // PUBLISH QoS 0, remaining length 5
            0x00, 0x01, 'a', // topic "a"
            'h', 'i'); // payload
    assertThat(out).hasSize(1);
    assertThat(out.get(0)).isInstanceOf(MqttPublishMessage.class);
    release(out);
  }

  @Test
  void packetSplitAcrossReadsWaitsForTheRest() {
    assertThat(feed(0x30)).isEmpty();
    assertThat(feed(0x05, 0x00)).isEmpty();
    List<Object> out = feed(0x01, 'a', 'h', 'i', 0xC0, 0x00); // ... and a PINGREQ behind it
    assertThat(out).hasSize(2);
    assertThat(type(out.get(1))).isEqualTo(MqttMessageType.PINGREQ);
    release(out);
  }

  @Test
  void reservedFlagsAreMalformed() {
    List<Object> out = feed(0xC1, 0x00); // PINGREQ with flag bit 0 set [MQTT-2.2.2-2]
    assertThat(out)
        .containsExactly(
            new ProtocolViolation(
                ReasonCode.MALFORMED_PACKET, "reserved flags of packet type 12 must be 0000"));
    assertThat(feed(0xC0, 0x00)).as("input after a violation is discarded").isEmpty();
  }

  @Test
  void pubrelSubscribeUnsubscribeNeedFlags0010() {
    assertThat(MqttFrameDecoder.fixedHeaderProblem(0x62)).isNull();
    assertThat(MqttFrameDecoder.fixedHeaderProblem(0x60)).isNotNull(); // [MQTT-3.6.1-1]
    assertThat(MqttFrameDecoder.fixedHeaderProblem(0x82)).isNull();
    assertThat(MqttFrameDecoder.fixedHeaderProblem(0x83)).isNotNull(); // [MQTT-3.8.1-1]
    assertThat(MqttFrameDecoder.fixedHeaderProblem(0xA2)).isNull();
    assertThat(MqttFrameDecoder.fixedHeaderProblem(0xA0)).isNotNull(); // [MQTT-3.10.1-1]
    assertThat(MqttFrameDecoder.fixedHeaderProblem(0x36)).isNotNull(); // QoS 3 [MQTT-3.3.1-4]
    assertThat(MqttFrameDecoder.fixedHeaderProblem(0x38))
        .isNotNull(); // DUP with QoS 0 [MQTT-3.3.1-2]
    assertThat(MqttFrameDecoder.fixedHeaderProblem(0x3D)).isNull(); // DUP, QoS 2, RETAIN
    assertThat(MqttFrameDecoder.fixedHeaderProblem(0x00)).isNotNull(); // reserved type 0
  }

  @Test
  void oversizedRemainingLengthIsRejectedBeforeBuffering() {
    List<Object> out = feed(0x30, 0x80, 0x01); // 128 bytes announced, limit 64
    assertThat(out).hasSize(1);
    assertThat(((ProtocolViolation) out.get(0)).reason()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
  }

  @Test
  void fiveByteRemainingLengthIsMalformed() {
    List<Object> out = feed(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F);
    assertThat(((ProtocolViolation) out.get(0)).reason()).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void illFormedUtf8TopicIsMalformed() {
    List<Object> out =
        feed(0x30, 0x04, 0x00, 0x02, 0xC3, 0x28); // 0xC3 0x28 is not UTF-8 [MQTT-1.5.3-1]
    assertThat(((ProtocolViolation) out.get(0)).reason()).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void encodedSurrogateInTopicIsMalformed() {
    List<Object> out =
        feed(0x30, 0x05, 0x00, 0x03, 0xED, 0xA0, 0x80); // U+D800 encoded [MQTT-1.5.3-1]
    assertThat(((ProtocolViolation) out.get(0)).reason()).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void illFormedUtf8InASubscribeFilterIsMalformed() {
    List<Object> out =
        feed(
            0x82, 0x06, // SUBSCRIBE, flags 0010
            0x00, 0x01, // packet id
            0x00, 0x01, 0xFF, // filter: one byte, 0xFF is never UTF-8 [MQTT-1.5.4-1]
            0x01); // options
    assertThat(((ProtocolViolation) out.get(0)).reason()).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void mqtt5SubscribeFiltersAreFoundAfterTheProperties() {
    release(
        feed(
            0x10, 0x0D, // CONNECT
            0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C, // level 5
            0x00, // no properties
            0x00, 0x00)); // empty client id
    List<Object> out =
        feed(
            0x82, 0x0A, // SUBSCRIBE
            0x00, 0x01, // packet id
            0x02, 0x0B, 0x01, // properties: subscription identifier 1
            0x00, 0x03, 'a', 0x00, 'b', // filter "a\0b" [MQTT-1.5.4-2]
            0x01);
    assertThat(((ProtocolViolation) out.get(0)).reason()).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void illFormedUtf8InAnUnsubscribeFilterIsMalformed() {
    List<Object> out =
        feed(
            0xA2, 0x07, // UNSUBSCRIBE
            0x00, 0x01, // packet id
            0x00, 0x03, 'a', 0xC3, 0x28); // 0xC3 0x28 is not UTF-8
    assertThat(((ProtocolViolation) out.get(0)).reason()).isEqualTo(ReasonCode.MALFORMED_PACKET);
  }

  @Test
  void shortFrameIsMalformed() {
    List<Object> out = feed(0x40, 0x01, 0x00); // PUBACK needs 2 bytes of packet id
    assertMalformed(out);
    release(out);
    assertThat(feed(0xC0, 0x00)).as("input after a violation is discarded").isEmpty();
  }

  @Test
  void bytesLeftOverInAFrameAreMalformed() {
    List<Object> out = feed(0xC0, 0x01, 0x00); // PINGREQ with a byte it has no use for
    assertMalformed(out);
    release(out);
  }

  @Test
  void aFrameTheDecoderCouldNotFinishLeavesNothingForTheNextConnection() {
    // The decoder waits for the second byte of the packet id, beyond the frame: it is retired.
    release(feed(channel, 0x40, 0x01, 0x00));
    // Fed to that decoder, these bytes would complete the PUBACK instead of being a PINGREQ.
    List<Object> out = feed(other, 0xC0, 0x00);
    assertThat(out).hasSize(1);
    assertThat(((MqttMessage) out.get(0)).decoderResult().isSuccess()).isTrue();
    assertThat(type(out.get(0))).isEqualTo(MqttMessageType.PINGREQ);
  }

  @Test
  void aFailedPacketLeavesTheNextConnectionsDecoderWorking() {
    List<Object> bad =
        feed(
            channel, 0x10, 0x0C, // CONNECT
            0x00, 0x04, 'M', 'Q', 'X', 'X', 0x04, 0x02, 0x00, 0x3C, // unknown protocol name
            0x00, 0x00);
    assertThat(((MqttMessage) bad.get(0)).decoderResult().isFailure()).isTrue();
    release(bad);
    List<Object> out = feed(other, 0xC0, 0x00);
    assertThat(type(out.get(0))).isEqualTo(MqttMessageType.PINGREQ);
    assertThat(((MqttMessage) out.get(0)).decoderResult().isSuccess()).isTrue();
  }

  @Test
  void eachConnectionKeepsItsOwnProtocolVersion() {
    release(
        feed(
            channel, 0x10, 0x0D, // CONNECT, MQTT 5.0
            0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C, 0x00, 0x00, 0x00));
    release(
        feed(
            other, 0x10, 0x0C, // CONNECT, MQTT 3.1.1
            0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x00));
    // Decoded by the same decoder one after the other: each by its own connection's version.
    List<Object> v5 =
        feed(channel, 0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'a', 0x01); // properties: none
    List<Object> v311 = feed(other, 0x82, 0x07, 0x00, 0x02, 0x00, 0x02, 'b', '/', 0x01);
    assertThat(filter(v5)).isEqualTo("a");
    assertThat(filter(v311)).isEqualTo("b/");
    release(v5);
    release(v311);
  }

  @Test
  void bufferReleasedAfterDecode() {
    ByteBuf in = Unpooled.wrappedBuffer(new byte[] {(byte) 0xC0, 0x00});
    channel.writeInbound(in);
    assertThat(in.refCnt()).isZero();
    release(outputs());
  }

  @Test
  void theProtocolVersionAppliesToLaterPacketsWithoutAChannelAttribute() {
    EmbeddedChannel ch = new EmbeddedChannel(new MqttFrameDecoder(1024));
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(Mqtt5Packets.connect("v5", 30, Mqtt5Packets.props())));
      byte[] contentType = Mqtt5Packets.strProp(0x03, "text/plain");
      ch.writeInbound(
          Unpooled.wrappedBuffer(
              Mqtt5Packets.publish("a/b", 1, 7, Mqtt5Packets.props(contentType), new byte[] {1})));
      List<Object> out = outputs(ch);
      try {
        assertThat(out).hasSize(2);
        MqttPublishMessage publish = (MqttPublishMessage) out.get(1);
        assertThat(publish.decoderResult().isSuccess()).isTrue();
        assertThat(publish.variableHeader().properties().getProperty(0x03).value())
            .isEqualTo("text/plain"); // decoded as 5.0: properties after the packet id
        // Netty's own decoder keeps the version in one, for the whole life of a connection.
        assertThat(ch.hasAttr(AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION"))).isFalse();
      } finally {
        out.forEach(ReferenceCountUtil::release);
      }
    } finally {
      ch.finishAndReleaseAll();
    }
  }
}
