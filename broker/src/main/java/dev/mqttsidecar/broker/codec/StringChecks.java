package dev.mqttsidecar.broker.codec;

import io.netty.buffer.ByteBuf;

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
    return scan(in, in.readerIndex(), in.readableBytes()) != MALFORMED;
  }

  private static String utf8Problem(ByteBuf in, int offset, int length, String what) {
    return switch (scan(in, offset, length)) {
      case MALFORMED -> what + " is not well-formed UTF-8";
      case HAS_NUL -> what + " contains U+0000";
      default -> null;
    };
  }

  private static final int WELL_FORMED = 0;
  private static final int HAS_NUL = 1;
  private static final int MALFORMED = 2;

  /**
   * Checks bytes in place, without decoding them into a String (this runs for every PUBLISH).
   * Well-formed means the byte sequences of Unicode Table 3-7, as RFC 3629 defines UTF-8: no
   * overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, nothing truncated.
   */
  private static int scan(ByteBuf in, int offset, int length) {
    int result = WELL_FORMED;
    int end = offset + length;
    int i = offset;
    while (i < end) {
      int b = in.getByte(i++) & 0xFF;
      if (b < 0x80) {
        if (b == 0) {
          result = HAS_NUL;
        }
        continue;
      }
      int more; // continuation bytes after the lead byte
      int low = 0x80; // allowed range of the first continuation byte
      int high = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        more = 1;
      } else if (b == 0xE0) {
        more = 2;
        low = 0xA0; // no overlong 3-byte forms
      } else if (b == 0xED) {
        more = 2;
        high = 0x9F; // no surrogates
      } else if (b >= 0xE1 && b <= 0xEF) {
        more = 2;
      } else if (b == 0xF0) {
        more = 3;
        low = 0x90; // no overlong 4-byte forms
      } else if (b >= 0xF1 && b <= 0xF3) {
        more = 3;
      } else if (b == 0xF4) {
        more = 3;
        high = 0x8F; // nothing above U+10FFFF
      } else {
        return MALFORMED; // a continuation byte, an overlong 2-byte lead, or 0xF5..0xFF
      }
      if (end - i < more) {
        return MALFORMED;
      }
      int c = in.getByte(i++) & 0xFF;
      if (c < low || c > high) {
        return MALFORMED;
      }
      for (int k = 1; k < more; k++) {
        c = in.getByte(i++) & 0xFF;
        if (c < 0x80 || c > 0xBF) {
          return MALFORMED;
        }
      }
    }
    return result;
  }
}
