package dev.mqttsidecar.broker.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;

/**
 * Encodes the packets a connection sends for every message (PUBLISH without properties, and PUBACK,
 * PUBREC, PUBREL, PUBCOMP without a reason code) into a buffer shared by the packets of one flush,
 * byte for byte as Netty's {@code MqttEncoder} does, which encodes each packet into a buffer of its
 * own. Anything else is left to that encoder.
 */
public final class BatchEncoder {
  private BatchEncoder() {}

  /** Whether {@link #encode} takes {@code packet}. */
  public static boolean handles(Object packet) {
    if (packet instanceof MqttPublishMessage p) {
      MqttProperties props = p.variableHeader().properties();
      return props == null || props.isEmpty();
    }
    if (packet instanceof MqttMessage m && m.fixedHeader() != null) {
      MqttMessageType type = m.fixedHeader().messageType();
      return (type == MqttMessageType.PUBACK
              || type == MqttMessageType.PUBREC
              || type == MqttMessageType.PUBREL
              || type == MqttMessageType.PUBCOMP)
          // exactly the packet id: a subclass carries a reason code or properties
          && m.variableHeader() != null
          && m.variableHeader().getClass() == MqttMessageIdVariableHeader.class;
    }
    return false;
  }

  /**
   * Appends {@code packet}, which {@link #handles}, to {@code out} and releases it.
   *
   * @param mqtt5 whether the connection speaks MQTT 5.0 (a PUBLISH then has a property length)
   */
  public static void encode(MqttMessage packet, boolean mqtt5, ByteBuf out) {
    MqttFixedHeader fh = packet.fixedHeader();
    if (!(packet instanceof MqttPublishMessage p)) {
      out.writeByte(firstByte(fh));
      out.writeByte(2); // remaining length: the packet id
      out.writeShort(((MqttMessageIdVariableHeader) packet.variableHeader()).messageId());
      return;
    }
    try {
      MqttPublishVariableHeader vh = p.variableHeader();
      ByteBuf payload = p.content();
      int topicBytes = ByteBufUtil.utf8Bytes(vh.topicName());
      int qos = fh.qosLevel().value();
      int remaining =
          2 + topicBytes + (qos > 0 ? 2 : 0) + (mqtt5 ? 1 : 0) + payload.readableBytes();
      out.ensureWritable(1 + PacketSize.varIntSize(remaining) + remaining);
      out.writeByte(firstByte(fh));
      writeVarInt(out, remaining);
      out.writeShort(topicBytes);
      ByteBufUtil.reserveAndWriteUtf8(out, vh.topicName(), topicBytes);
      if (qos > 0) {
        out.writeShort(vh.packetId());
      }
      if (mqtt5) {
        out.writeByte(0); // property length: none
      }
      if (payload.hasArray() || payload.hasMemoryAddress()) {
        out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
      } else { // a read-only view of the message's payload: copied as a whole, not in pieces
        out.writeBytes(payload.nioBuffer(payload.readerIndex(), payload.readableBytes()));
      }
    } finally {
      p.release();
    }
  }

  private static int firstByte(MqttFixedHeader fh) {
    return fh.messageType().value() << 4
        | (fh.isDup() ? 0x08 : 0)
        | fh.qosLevel().value() << 1
        | (fh.isRetain() ? 0x01 : 0);
  }

  /** A Variable Byte Integer [MQTT-1.5.5]. */
  private static void writeVarInt(ByteBuf out, int value) {
    do {
      int digit = value % 128;
      value /= 128;
      out.writeByte(value > 0 ? digit | 0x80 : digit);
    } while (value > 0);
  }
}
