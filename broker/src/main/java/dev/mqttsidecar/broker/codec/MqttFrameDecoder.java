package dev.mqttsidecar.broker.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.List;

/**
 * Splits the byte stream into whole MQTT packets, checks what Netty's {@code MqttDecoder} does not
 * (reserved packet types and fixed-header flags, the remaining-length encoding and limit, and the
 * UTF-8 well-formedness of topic names and filters, {@link StringChecks}), and decodes each whole
 * packet with the thread's shared decoder ({@link SharedMqttDecoder}), which must read exactly the
 * frame: one packet, no more, no less. The first problem becomes a {@link ProtocolViolation} value
 * (a packet the decoder failed on goes on as it is) and all later input is discarded. No packet is
 * buffered beyond the size limit, and nothing is kept while the connection is idle.
 */
public final class MqttFrameDecoder extends ByteToMessageDecoder {
  /**
   * Largest first packet (the CONNECT): a client nobody has authenticated yet must not make the
   * broker buffer megabytes. A CONNECT with a will message, credentials and properties fits with
   * room to spare; its strings and will payload are each limited to 64 KiB by the protocol anyway.
   */
  public static final int MAX_FIRST_PACKET = 64 * 1024;

  private final int maxPacketSize;
  private boolean firstPacket = true;
  private boolean failed;
  private boolean mqtt5; // from the CONNECT frame; SUBSCRIBE's layout depends on it

  /**
   * @param maxPacketSize largest accepted packet in bytes, fixed header included
   */
  public MqttFrameDecoder(int maxPacketSize) {
    this.maxPacketSize = maxPacketSize;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int start = in.readerIndex();
    if (in.readableBytes() < 2) {
      return;
    }
    int first = in.getUnsignedByte(start);
    int remaining = 0;
    int multiplier = 1;
    int headerLength = 1;
    while (true) {
      if (headerLength > 4) {
        fail(
            in,
            out,
            ReasonCode.MALFORMED_PACKET,
            "remaining length longer than 4 bytes"); // [MQTT-2.2.3]
        return;
      }
      if (in.readableBytes() < headerLength + 1) {
        return;
      }
      int b = in.getUnsignedByte(start + headerLength);
      remaining += (b & 0x7F) * multiplier;
      multiplier <<= 7;
      headerLength++;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    String problem = fixedHeaderProblem(first);
    if (problem != null) {
      fail(in, out, ReasonCode.MALFORMED_PACKET, problem);
      return;
    }
    long total = (long) headerLength + remaining;
    if (firstPacket && total > Math.min(maxPacketSize, MAX_FIRST_PACKET)) {
      fail(in, out, ReasonCode.PACKET_TOO_LARGE, "first packet of " + total + " bytes");
      return;
    }
    if (total > maxPacketSize) {
      fail(
          in, out, ReasonCode.PACKET_TOO_LARGE, "packet of " + total + " bytes"); // [MQTT-3.2.2-15]
      return;
    }
    if (in.readableBytes() < total) {
      return;
    }
    String stringProblem = stringProblem(in, first >> 4, start + headerLength, remaining);
    if (stringProblem != null) {
      fail(in, out, ReasonCode.MALFORMED_PACKET, stringProblem);
      return;
    }
    firstPacket = false;
    Object packet =
        SharedMqttDecoder.decode(
            ctx,
            in.readRetainedSlice((int) total),
            mqtt5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1);
    if (packet == null) {
      // The decoder wanted bytes past the declared remaining length, or left some over.
      fail(in, out, ReasonCode.MALFORMED_PACKET, "the frame does not hold exactly one packet");
      return;
    }
    if (((MqttMessage) packet).decoderResult().isFailure()) {
      failed = true; // the connection answers the failed packet and closes
      in.skipBytes(in.readableBytes());
    }
    out.add(packet);
  }

  /** Checks the routing strings of a complete frame; learns the protocol level from CONNECT. */
  private String stringProblem(ByteBuf in, int type, int offset, int remaining) {
    switch (type) {
      case 1 -> {
        // Protocol name (2-byte length + bytes), then the protocol level.
        if (remaining >= 2) {
          int levelAt = offset + 2 + in.getUnsignedShort(offset);
          mqtt5 = levelAt < offset + remaining && in.getUnsignedByte(levelAt) == 5;
        }
        return null;
      }
      case 3 -> {
        return StringChecks.publishTopicProblem(in, offset, remaining);
      }
      case 8, 10 -> {
        return StringChecks.filterListProblem(in, offset, remaining, type == 8, mqtt5);
      }
      default -> {
        return null;
      }
    }
  }

  private void fail(ByteBuf in, List<Object> out, ReasonCode reason, String detail) {
    failed = true;
    in.skipBytes(in.readableBytes());
    out.add(new ProtocolViolation(reason, detail));
  }

  /** Checks packet type and the flag bits of byte 1 [MQTT-2.2.2-1], [MQTT-2.2.2-2]. */
  static String fixedHeaderProblem(int first) {
    int type = first >> 4;
    int flags = first & 0x0F;
    switch (type) {
      case 0:
        return "reserved packet type 0";
      case 3:
        if ((flags & 0x06) == 0x06) {
          return "PUBLISH with QoS 3"; // [MQTT-3.3.1-4]
        }
        if ((flags & 0x06) == 0 && (flags & 0x08) != 0) {
          return "PUBLISH with QoS 0 and DUP set"; // [MQTT-3.3.1-2]
        }
        return null;
      case 6: // PUBREL
      case 8: // SUBSCRIBE
      case 10: // UNSUBSCRIBE
        return flags == 0x02
            ? null
            : "reserved flags of packet type "
                + type
                + " must be 0010"; // [MQTT-3.6.1-1], [MQTT-3.8.1-1], [MQTT-3.10.1-1]
      default:
        return flags == 0 ? null : "reserved flags of packet type " + type + " must be 0000";
    }
  }
}
