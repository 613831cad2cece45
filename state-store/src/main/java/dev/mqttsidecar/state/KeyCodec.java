package dev.mqttsidecar.state;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Maps opaque state keys to MQTT topic levels and back, exactly.
 *
 * <p>Percent-encodes (as uppercase {@code %XX} of the UTF-8 bytes) what a topic name must not or
 * should not contain: the wildcards {@code +} and {@code #} [MQTT-3.3.2-2], U+0000 [MQTT-1.5.4-2],
 * the control characters U+0001..U+001F and U+007F..U+009F and the Unicode non-characters (MQTT 5
 * section 1.5.4 says SHOULD NOT, and clients may refuse them), U+FFFD (the broker refuses it in
 * topics, as its decoder puts it in place of ill-formed UTF-8 [MQTT-1.5.4-1]), and {@code %} itself
 * so that decoding is unambiguous. Everything else, including {@code /}, stays as it is, so a key's
 * {@code /} is a topic level separator.
 */
public final class KeyCodec {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private KeyCodec() {}

  /**
   * The topic form of a key.
   *
   * @throws IllegalArgumentException if the key contains an unpaired surrogate (not UTF-8
   *     encodable)
   */
  public static String encode(String key) {
    StringBuilder out = null;
    for (int i = 0; i < key.length(); ) {
      int cp = key.codePointAt(i);
      int width = Character.charCount(cp);
      if (Character.isSurrogate(key.charAt(i)) && width == 1) {
        throw new IllegalArgumentException("key contains an unpaired surrogate at index " + i);
      }
      if (mustEscape(cp)) {
        if (out == null) {
          out = new StringBuilder(key.length() + 8).append(key, 0, i);
        }
        for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
      } else if (out != null) {
        out.appendCodePoint(cp);
      }
      i += width;
    }
    return out == null ? key : out.toString();
  }

  /**
   * The key a topic suffix stands for, or empty if the suffix is not in the canonical form {@link
   * #encode} produces (for example a topic an MQTT client published with a stray {@code %}): such a
   * topic is not addressable as a key.
   */
  public static Optional<String> decode(String encoded) {
    if (encoded.indexOf('%') < 0) {
      return isCanonical(encoded, encoded) ? Optional.of(encoded) : Optional.empty();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length() + 8);
    int literalStart = 0;
    for (int i = 0; i < encoded.length(); i++) {
      if (encoded.charAt(i) != '%') {
        continue;
      }
      bytes.writeBytes(encoded.substring(literalStart, i).getBytes(StandardCharsets.UTF_8));
      if (i + 2 >= encoded.length()) {
        return Optional.empty();
      }
      int hi = Character.digit(encoded.charAt(i + 1), 16);
      int lo = Character.digit(encoded.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        return Optional.empty();
      }
      bytes.write(hi << 4 | lo);
      i += 2;
      literalStart = i + 1;
    }
    bytes.writeBytes(encoded.substring(literalStart).getBytes(StandardCharsets.UTF_8));
    String key;
    try {
      key =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes.toByteArray()))
              .toString();
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
    return isCanonical(key, encoded) ? Optional.of(key) : Optional.empty();
  }

  private static boolean isCanonical(String key, String encoded) {
    try {
      return encode(key).equals(encoded);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean mustEscape(int cp) {
    return cp == '%'
        || cp == '+'
        || cp == '#'
        || cp <= 0x1F
        || (cp >= 0x7F && cp <= 0x9F)
        || cp == 0xFFFD
        || (cp >= 0xFDD0 && cp <= 0xFDEF)
        || (cp & 0xFFFE) == 0xFFFE;
  }
}
