package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.codec.ReasonCode;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import java.util.List;

/** Builders for the packets the broker sends, in the right shape for 3.1.1 or 5.0. */
final class Packets {
  private Packets() {}

  static MqttConnAckMessage connAck(byte code, boolean sessionPresent, MqttProperties props) {
    return new MqttConnAckMessage(
        new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
        new MqttConnAckVariableHeader(MqttConnectReturnCode.valueOf(code), sessionPresent, props));
  }

  static MqttMessage disconnect(ReasonCode reason) {
    return disconnect(reason, null, Long.MAX_VALUE);
  }

  /**
   * A 5.0 DISCONNECT; the reason string is left out when null or when it would make the packet
   * larger than the client's Maximum Packet Size [MQTT-3.14.2-3].
   */
  static MqttMessage disconnect(ReasonCode reason, String reasonString, long maxPacketSize) {
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    if (reasonString != null) {
      // fixed header 2, reason code 1, properties length 1, property id 1, string length 2
      long size = 7L + ByteBufUtil.utf8Bytes(reasonString);
      if (size <= maxPacketSize && size < 128) {
        props = new MqttProperties();
        props.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reasonString));
      }
    }
    return new MqttMessage(
        new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
        new MqttReasonCodeAndPropertiesVariableHeader(reason.value(), props));
  }

  /** AUTH with a reason code, the Authentication Method and optional data [MQTT-3.15]. */
  static MqttMessage auth(byte reason, String method, byte[] data) {
    MqttProperties props = new MqttProperties();
    props.add(new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, method));
    if (data != null) {
      props.add(new MqttProperties.BinaryProperty(MqttProperties.AUTHENTICATION_DATA, data));
    }
    return new MqttMessage(
        new MqttFixedHeader(MqttMessageType.AUTH, false, MqttQoS.AT_MOST_ONCE, false, 0),
        new MqttReasonCodeAndPropertiesVariableHeader(reason, props));
  }

  static MqttMessage pingResp() {
    return new MqttMessage(
        new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0));
  }

  // Fixed headers are immutable: one per type rather than one per acknowledgement.
  private static final MqttFixedHeader PUBACK = replyHeader(MqttMessageType.PUBACK);
  private static final MqttFixedHeader PUBREC = replyHeader(MqttMessageType.PUBREC);
  private static final MqttFixedHeader PUBREL = replyHeader(MqttMessageType.PUBREL);
  private static final MqttFixedHeader PUBCOMP = replyHeader(MqttMessageType.PUBCOMP);

  private static MqttFixedHeader replyHeader(MqttMessageType type) {
    MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
    return new MqttFixedHeader(type, false, qos, false, 0);
  }

  /** PUBACK, PUBREC, PUBREL or PUBCOMP; the reason code is only encoded for 5.0. */
  static MqttMessage pubReply(
      MqttMessageType type, int packetId, ReasonCode reason, boolean mqtt5) {
    MqttFixedHeader fh =
        switch (type) {
          case PUBACK -> PUBACK;
          case PUBREC -> PUBREC;
          case PUBREL -> PUBREL;
          case PUBCOMP -> PUBCOMP;
          default -> throw new IllegalArgumentException("not an acknowledgement: " + type);
        };
    if (mqtt5 && reason != ReasonCode.SUCCESS) {
      return new MqttMessage(
          fh,
          new MqttPubReplyMessageVariableHeader(
              packetId, reason.value(), MqttProperties.NO_PROPERTIES));
    }
    return new MqttMessage(fh, MqttMessageIdVariableHeader.from(packetId));
  }

  static MqttSubAckMessage subAck(int packetId, List<Integer> codes, boolean mqtt5) {
    int[] values = codes.stream().mapToInt(Integer::intValue).toArray();
    MqttFixedHeader fh =
        new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
    return mqtt5
        ? new MqttSubAckMessage(
            fh,
            new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
            new MqttSubAckPayload(values))
        : new MqttSubAckMessage(
            fh, MqttMessageIdVariableHeader.from(packetId), new MqttSubAckPayload(values));
  }

  static MqttUnsubAckMessage unsubAck(int packetId, List<Short> codes, boolean mqtt5) {
    MqttFixedHeader fh =
        new MqttFixedHeader(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
    return mqtt5
        ? new MqttUnsubAckMessage(
            fh,
            new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES),
            new MqttUnsubAckPayload(codes))
        : new MqttUnsubAckMessage(fh, MqttMessageIdVariableHeader.from(packetId));
  }
}
