package dev.mqttsidecar.broker;

/**
 * What MQTT allows in a UTF-8 string (Content Type, user property names and values): well-formed
 * UTF-8 [MQTT-1.5.4-1], which a Java string with an unpaired surrogate cannot become, no U+0000
 * [MQTT-1.5.4-2], and at most 65535 bytes [MQTT-1.5.4]. An MQTT 5 client treats a packet that
 * breaks these as malformed and disconnects, so strings from elsewhere (Dapr requests) must be
 * checked before they become part of a message.
 */
public final class MqttStrings {
  public static final int MAX_BYTES = 65_535;

  private MqttStrings() {}

  /** Why {@code s} cannot be an MQTT string, or null when it can. */
  public static String problem(String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\u0000') {
        return "contains U+0000"; // [MQTT-1.5.4-2]
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        return "contains an unpaired surrogate, which is not UTF-8"; // [MQTT-1.5.4-1]
      } else {
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      }
    }
    return bytes > MAX_BYTES ? "is longer than " + MAX_BYTES + " bytes in UTF-8" : null;
  }
}
