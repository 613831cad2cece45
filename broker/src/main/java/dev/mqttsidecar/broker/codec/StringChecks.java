package dev.mqttsidecar.broker.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level checks of the UTF-8 strings that matter for routing (topic names and filters). Netty's
 * decoder silently replaces ill-formed UTF-8 with U+FFFD; the spec makes such a packet malformed
 * [MQTT-1.5.4-1], and U+0000 is forbidden too [MQTT-1.5.4-2].
 */
public final class StringChecks {
  private StringChecks() {}

  /** The PUBLISH topic name at {@code offset} (the variable header). */
  static String publishTopicProblem(ByteBuf in, int offset, int remaining) {
    if (remaining < 2) {
      return "PUBLISH too short";
    }
    int length = in.getUnsignedShort(offset);
    if (length + 2 > remaining) {
      return "topic length exceeds packet";
    }
    return utf8Problem(in, offset + 2, length, "topic");
  }

  /**
   * The topic filters of a SUBSCRIBE or UNSUBSCRIBE whose variable header starts at {@code offset}.
   * Structural errors are left to the decoder, which reports them.
   */
  static String filterListProblem(
      ByteBuf in, int offset, int remaining, boolean subscribe, boolean mqtt5) {
    int pos = offset + 2; // packet identifier
    int end = offset + remaining;
    if (mqtt5) {
      int propertiesLength = 0;
      int multiplier = 1;
      for (int i = 0; ; i++) {
        if (pos >= end || i == 4) {
          return null;
        }
        int b = in.getUnsignedByte(pos++);
        propertiesLength += (b & 0x7F) * multiplier;
        multiplier <<= 7;
        if ((b & 0x80) == 0) {
          break;
        }
      }
      pos += propertiesLength;
    }
    while (pos + 2 <= end) {
      int length = in.getUnsignedShort(pos);
      if (pos + 2 + length > end) {
        return null;
      }
      String problem = utf8Problem(in, pos + 2, length, "topic filter");
      if (problem != null) {
        return problem;
      }
      pos += 2 + length + (subscribe ? 1 : 0); // SUBSCRIBE: the options byte
    }
    return null;
  }

  /**
   * Whether a PUBLISH payload marked as UTF-8 (Payload Format Indicator 1) really is well-formed
   * UTF-8 (section 3.3.2.3.2).
   */
  public static boolean isWellFormedUtf8(ByteBuf in) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(in.nioBuffer(in.readerIndex(), in.readableBytes()));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static String utf8Problem(ByteBuf in, int offset, int length, String what) {
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(in.nioBuffer(offset, length))
              .toString();
      return s.indexOf('\u0000') >= 0 ? what + " contains U+0000" : null;
    } catch (CharacterCodingException e) {
      return what + " is not well-formed UTF-8";
    }
  }
}
