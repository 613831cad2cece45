package dev.mqttsidecar.broker.codec;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;

/**
 * The encoded size of an outbound PUBLISH, computed without encoding it, so a packet larger than
 * the client's Maximum Packet Size can be dropped before it reaches the encoder [MQTT-3.1.2-24].
 */
public final class PacketSize {
  private PacketSize() {}

  /** Total bytes of {@code p} on the wire: fixed header, variable header and payload. */
  public static long of(MqttPublishMessage p, boolean mqtt5) {
    long remaining = 2L + ByteBufUtil.utf8Bytes(p.variableHeader().topicName());
    if (p.fixedHeader().qosLevel().value() > 0) {
      remaining += 2;
    }
    if (mqtt5) {
      long props = propertiesLength(p.variableHeader().properties());
      remaining += varIntSize(props) + props;
    }
    remaining += p.content().readableBytes();
    return 1 + varIntSize(remaining) + remaining;
  }

  private static long propertiesLength(MqttProperties props) {
    long n = 0;
    for (MqttProperties.MqttProperty<?> p : props.listAll()) {
      n += 1; // identifier
      Object v = p.value();
      if (p instanceof MqttProperties.UserProperties ups) {
        n -= 1;
        for (MqttProperties.StringPair pair : ups.value()) {
          n += 1 + 2 + ByteBufUtil.utf8Bytes(pair.key) + 2 + ByteBufUtil.utf8Bytes(pair.value);
        }
      } else if (p instanceof MqttProperties.UserProperty up) {
        n +=
            2 + ByteBufUtil.utf8Bytes(up.value().key) + 2 + ByteBufUtil.utf8Bytes(up.value().value);
      } else if (v instanceof String s) {
        n += 2 + ByteBufUtil.utf8Bytes(s);
      } else if (v instanceof byte[] b) {
        n += 2 + b.length;
      } else if (v instanceof Integer i) {
        n += integerWidth(p.propertyId(), i);
      }
    }
    return n;
  }

  private static int integerWidth(int id, int value) {
    return switch (id) {
      case MqttProperties.PAYLOAD_FORMAT_INDICATOR -> 1;
      case MqttProperties.TOPIC_ALIAS -> 2;
      case MqttProperties.SUBSCRIPTION_IDENTIFIER -> varIntSize(value);
      default -> 4; // Message Expiry Interval
    };
  }

  /** Bytes of a Variable Byte Integer [MQTT-1.5.5]. */
  public static int varIntSize(long value) {
    return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
  }
}
