package dev.mqttsidecar.broker.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a decoded MQTT message holds, as text two equal decodings share. Netty's own {@code
 * toString} prints properties by identity, and leaves out a CONNECT's properties and password.
 */
final class MqttMessageText {
  private static final Pattern IDENTITY = Pattern.compile("@[0-9a-f]+");

  private MqttMessageText() {}

  static String of(MqttMessage m) {
    if (m.decoderResult().isFailure()) {
      Throwable cause = m.decoderResult().cause();
      return "failure " + cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
    StringBuilder text =
        new StringBuilder()
            .append(m.fixedHeader())
            .append(' ')
            .append(IDENTITY.matcher(String.valueOf(m.variableHeader())).replaceAll(""))
            .append(" properties ")
            .append(properties(headerProperties(m.variableHeader())))
            .append(' ')
            .append(m.payload() instanceof ByteBuf b ? ByteBufUtil.hexDump(b) : m.payload());
    if (m instanceof MqttConnectMessage c) {
      text.append(" will properties ")
          .append(properties(c.payload().willProperties()))
          .append(" password ")
          .append(
              c.payload().passwordInBytes() == null ? "none" : hex(c.payload().passwordInBytes()));
    }
    return text.toString();
  }

  private static MqttProperties headerProperties(Object header) {
    if (header instanceof MqttConnectVariableHeader h) {
      return h.properties();
    }
    if (header instanceof MqttPublishVariableHeader h) {
      return h.properties();
    }
    if (header instanceof MqttMessageIdAndPropertiesVariableHeader h) {
      return h.properties();
    }
    if (header instanceof MqttPubReplyMessageVariableHeader h) {
      return h.properties();
    }
    if (header instanceof MqttReasonCodeAndPropertiesVariableHeader h) {
      return h.properties();
    }
    return MqttProperties.NO_PROPERTIES;
  }

  private static String properties(MqttProperties properties) {
    List<String> out = new ArrayList<>();
    for (MqttProperties.MqttProperty<?> p : properties.listAll()) {
      out.add(p.propertyId() + "=" + value(p.value()));
    }
    return out.toString();
  }

  private static String value(Object value) {
    if (value instanceof byte[] bytes) {
      return hex(bytes);
    }
    if (value instanceof List<?> pairs) {
      List<String> out = new ArrayList<>();
      for (Object pair : pairs) {
        MqttProperties.StringPair p = (MqttProperties.StringPair) pair;
        out.add(p.key + ":" + p.value);
      }
      return out.toString();
    }
    return String.valueOf(value);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
