package dev.mqttsidecar.bench.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the few MQTT packets the generator sends straight into buffers [MQTT-2, MQTT-3]. The
 * generator shares the machine with the broker it measures, so it skips the general-purpose codec
 * (message objects, a second copy of every payload) and writes bytes.
 */
public final class Packets {
  public static final int CONNACK = 2;
  public static final int PUBLISH = 3;
  public static final int PUBACK = 4;
  public static final int PUBREC = 5;
  public static final int PUBREL = 6;
  public static final int PUBCOMP = 7;
  public static final int SUBACK = 9;
  public static final int PINGRESP = 13;
  public static final int DISCONNECT = 14;

  private static final byte[] MQTT = "MQTT".getBytes(StandardCharsets.US_ASCII);
  private static final int RECEIVE_MAXIMUM = 0x21;
  private static final int SESSION_EXPIRY = 0x11;

  private Packets() {}

  /** What a connection's will says; the topic is {@code bench/will/<client id>}. */
  public static final byte[] WILL_PAYLOAD = "offline".getBytes(StandardCharsets.US_ASCII);

  /**
   * CONNECT without credentials [MQTT-3.1]: a clean session, or with {@link
   * ClientSettings#persistent()} Clean Start 0 and (5.0) a Session Expiry Interval [MQTT-3.1.2-4];
   * with {@link ClientSettings#will()} a QoS 1 will, not retained, on {@code bench/will/<client
   * id>} [MQTT-3.1.2-9].
   */
  public static ByteBuf connect(ByteBufAllocator alloc, ClientSettings s) {
    byte[] clientId = s.clientId().getBytes(StandardCharsets.UTF_8);
    byte[] willTopic =
        s.will() ? ("bench/will/" + s.clientId()).getBytes(StandardCharsets.UTF_8) : null;
    boolean v5 = s.isV5();
    int expiry = s.persistent() ? s.sessionExpirySeconds() : 0;
    int props = v5 ? (s.receiveMaximum() > 0 ? 3 : 0) + (expiry > 0 ? 5 : 0) : 0;
    int remaining =
        2 + MQTT.length + 1 + 1 + 2 + (v5 ? varIntSize(props) + props : 0) + 2 + clientId.length;
    if (willTopic != null) {
      remaining += (v5 ? 1 : 0) + 2 + willTopic.length + 2 + WILL_PAYLOAD.length;
    }
    ByteBuf buf = alloc.buffer(1 + varIntSize(remaining) + remaining);
    buf.writeByte(0x10);
    writeVarInt(buf, remaining);
    buf.writeShort(MQTT.length).writeBytes(MQTT);
    buf.writeByte(v5 ? 5 : 4);
    // clean session / clean start unless persistent; will flag and will QoS 1
    buf.writeByte((s.persistent() ? 0 : 0x02) | (willTopic != null ? 0x04 | 0x08 : 0));
    buf.writeShort(s.keepAliveSeconds());
    if (v5) {
      writeVarInt(buf, props);
      if (s.receiveMaximum() > 0) {
        buf.writeByte(RECEIVE_MAXIMUM).writeShort(s.receiveMaximum());
      }
      if (expiry > 0) {
        buf.writeByte(SESSION_EXPIRY).writeInt(expiry);
      }
    }
    buf.writeShort(clientId.length).writeBytes(clientId);
    if (willTopic != null) {
      if (v5) {
        buf.writeByte(0); // no will properties
      }
      buf.writeShort(willTopic.length).writeBytes(willTopic);
      buf.writeShort(WILL_PAYLOAD.length).writeBytes(WILL_PAYLOAD);
    }
    return buf;
  }

  /** SUBSCRIBE to one filter [MQTT-3.8]. */
  public static ByteBuf subscribe(
      ByteBufAllocator alloc, boolean v5, int packetId, String filter, int qos) {
    byte[] f = filter.getBytes(StandardCharsets.UTF_8);
    int remaining = 2 + (v5 ? 1 : 0) + 2 + f.length + 1;
    ByteBuf buf = alloc.buffer(1 + varIntSize(remaining) + remaining);
    buf.writeByte(0x82);
    writeVarInt(buf, remaining);
    buf.writeShort(packetId);
    if (v5) {
      buf.writeByte(0); // no properties
    }
    buf.writeShort(f.length).writeBytes(f);
    buf.writeByte(qos);
    return buf;
  }

  /** Bytes one PUBLISH takes on the wire. */
  public static int publishSize(boolean v5, int topicLength, int qos, int payloadSize) {
    int remaining = publishRemaining(v5, topicLength, qos, payloadSize);
    return 1 + varIntSize(remaining) + remaining;
  }

  private static int publishRemaining(boolean v5, int topicLength, int qos, int payloadSize) {
    return 2 + topicLength + (qos > 0 ? 2 : 0) + (v5 ? 1 : 0) + payloadSize;
  }

  /**
   * Appends one PUBLISH whose payload is the generator's header ({@code publisher}, {@code seq},
   * {@code sentNanos}) padded with zeros to {@code payloadSize} [MQTT-3.3].
   */
  public static void writePublish(
      ByteBuf buf,
      boolean v5,
      byte[] topic,
      int qos,
      int packetId,
      int payloadSize,
      int publisher,
      long seq,
      long sentNanos) {
    buf.writeByte(0x30 | qos << 1);
    writeVarInt(buf, publishRemaining(v5, topic.length, qos, payloadSize));
    buf.writeShort(topic.length).writeBytes(topic);
    if (qos > 0) {
      buf.writeShort(packetId);
    }
    if (v5) {
      buf.writeByte(0); // no properties
    }
    buf.writeInt(publisher).writeLong(seq).writeLong(sentNanos);
    buf.writeZero(payloadSize - 20);
  }

  /** Appends PUBACK, PUBREC, PUBREL or PUBCOMP with success (short form, also valid in 5.0). */
  public static void writeAck(ByteBuf buf, int type, int packetId) {
    buf.writeByte(
        type << 4 | (type == PUBREL ? 0x02 : 0)); // PUBREL's reserved flags [MQTT-3.6.1-1]
    buf.writeByte(2);
    buf.writeShort(packetId);
  }

  /** DISCONNECT, normal (reason code omitted in 5.0 means 0x00). */
  public static ByteBuf disconnect(ByteBufAllocator alloc) {
    return alloc.buffer(2).writeByte(0xE0).writeByte(0);
  }

  static int varIntSize(int value) {
    return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
  }

  static void writeVarInt(ByteBuf buf, int value) {
    do {
      int digit = value % 128;
      value /= 128;
      buf.writeByte(value > 0 ? digit | 0x80 : digit);
    } while (value > 0);
  }
}
