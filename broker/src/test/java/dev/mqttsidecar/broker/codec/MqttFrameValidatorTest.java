package dev.mqttsidecar.broker.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.testing.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Framing and fixed-header validation ahead of Netty's MqttDecoder, byte by byte. */
@ExtendWith(LeakCheck.class)
class MqttFrameValidatorTest {
  private final EmbeddedChannel channel =
      new EmbeddedChannel(new MqttFrameValidator(64), new MqttDecoder(64, 65535));

  @AfterEach
  void close() {
    for (Object o : outputs()) {
      ReferenceCountUtil.release(o);
    }
    channel.finishAndReleaseAll();
  }

  private List<Object> outputs() {
    List<Object> out = new ArrayList<>();
    for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
      out.add(o);
    }
    return out;
  }

  private List<Object> feed(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    channel.writeInbound(Unpooled.wrappedBuffer(b));
    return outputs();
  }

  private static void release(List<Object> out) {
    out.forEach(ReferenceCountUtil::release);
  }

  @Test
  void wholePacketIsDecodedAndFollowedByFrameEnd() {
    List<Object> out =
        feed(
            0x30, 0x05, // PUBLISH QoS 0, remaining length 5
            0x00, 0x01, 'a', // topic "a"
            'h', 'i'); // payload
    assertThat(out).hasSize(2);
    assertThat(out.get(0)).isInstanceOf(MqttPublishMessage.class);
    assertThat(out.get(1)).isEqualTo(FrameEnd.INSTANCE);
    release(out);
  }

  @Test
  void packetSplitAcrossReadsWaitsForTheRest() {
    assertThat(feed(0x30)).isEmpty();
    assertThat(feed(0x05, 0x00)).isEmpty();
    List<Object> out = feed(0x01, 'a', 'h', 'i', 0xC0, 0x00); // ... and a PINGREQ behind it
    assertThat(out).hasSize(4);
    assertThat(((MqttMessage) out.get(2)).fixedHeader().messageType())
        .isEqualTo(MqttMessageType.PINGREQ);
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
    assertThat(MqttFrameValidator.fixedHeaderProblem(0x62)).isNull();
    assertThat(MqttFrameValidator.fixedHeaderProblem(0x60)).isNotNull(); // [MQTT-3.6.1-1]
    assertThat(MqttFrameValidator.fixedHeaderProblem(0x82)).isNull();
    assertThat(MqttFrameValidator.fixedHeaderProblem(0x83)).isNotNull(); // [MQTT-3.8.1-1]
    assertThat(MqttFrameValidator.fixedHeaderProblem(0xA2)).isNull();
    assertThat(MqttFrameValidator.fixedHeaderProblem(0xA0)).isNotNull(); // [MQTT-3.10.1-1]
    assertThat(MqttFrameValidator.fixedHeaderProblem(0x36)).isNotNull(); // QoS 3 [MQTT-3.3.1-4]
    assertThat(MqttFrameValidator.fixedHeaderProblem(0x38))
        .isNotNull(); // DUP with QoS 0 [MQTT-3.3.1-2]
    assertThat(MqttFrameValidator.fixedHeaderProblem(0x3D)).isNull(); // DUP, QoS 2, RETAIN
    assertThat(MqttFrameValidator.fixedHeaderProblem(0x00)).isNotNull(); // reserved type 0
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
  void shortFrameIsReportedByAMissingPacketBeforeFrameEnd() {
    List<Object> out = feed(0x40, 0x01, 0x00); // PUBACK needs 2 bytes of packet id
    assertThat(out.get(out.size() - 1)).isEqualTo(FrameEnd.INSTANCE);
    long packets = out.stream().filter(o -> o != FrameEnd.INSTANCE).count();
    List<Object> failures =
        out.stream()
            .filter(o -> o instanceof MqttMessage m && m.decoderResult().isFailure())
            .toList();
    assertThat(packets == 0 || failures.size() == 1).isTrue();
    release(out);
  }

  @Test
  void bufferReleasedAfterDecode() {
    ByteBuf in = Unpooled.wrappedBuffer(new byte[] {(byte) 0xC0, 0x00});
    channel.writeInbound(in);
    assertThat(in.refCnt()).isZero();
    release(outputs());
  }
}
