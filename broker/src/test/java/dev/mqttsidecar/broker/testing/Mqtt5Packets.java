package dev.mqttsidecar.broker.testing;

import static dev.mqttsidecar.broker.testing.RawMqttClient.bytes;
import static dev.mqttsidecar.broker.testing.RawMqttClient.concat;
import static dev.mqttsidecar.broker.testing.RawMqttClient.packet;
import static dev.mqttsidecar.broker.testing.RawMqttClient.str;
import static dev.mqttsidecar.broker.testing.RawMqttClient.u16;

import dev.mqttsidecar.broker.testing.RawMqttClient.Packet;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Raw MQTT 5 packets with properties, and a reader for the properties the broker sends. */
public final class Mqtt5Packets {
  private Mqtt5Packets() {}

  /** One property as received: identifier and value (Integer, String or byte[]). */
  public record Prop(int id, Object value) {}

  /** A received PUBLISH, decoded. */
  public record Publish(String topic, int qos, int packetId, List<Prop> props, byte[] payload) {
    public List<Object> all(int id) {
      return props.stream().filter(p -> p.id() == id).map(Prop::value).toList();
    }

    public Object first(int id) {
      List<Object> v = all(id);
      return v.isEmpty() ? null : v.get(0);
    }
  }

  /** A properties block: the bytes given, prefixed with their length. */
  public static byte[] props(byte[]... entries) {
    byte[] body = concat(entries);
    return concat(varInt(body.length), body);
  }

  public static byte[] concatAll(byte[]... parts) {
    return concat(parts);
  }

  public static byte[] intProp(int id, int width, int value) {
    return switch (width) {
      case 1 -> bytes(id, value);
      case 2 -> concat(bytes(id), u16(value));
      default -> bytes(id, value >>> 24, value >>> 16, value >>> 8, value);
    };
  }

  public static byte[] strProp(int id, String value) {
    return concat(bytes(id), str(value));
  }

  public static byte[] binProp(int id, byte[] value) {
    return concat(bytes(id), u16(value.length), value);
  }

  public static byte[] varIntProp(int id, int value) {
    return concat(bytes(id), varInt(value));
  }

  public static byte[] connect(String clientId, int keepAlive, byte[] props) {
    return connect(clientId, true, keepAlive, props);
  }

  public static byte[] connect(String clientId, boolean cleanStart, int keepAlive, byte[] props) {
    return packet(
        0x10,
        concat(str("MQTT"), bytes(5, cleanStart ? 0x02 : 0), u16(keepAlive), props, str(clientId)));
  }

  public static byte[] publish(String topic, int qos, int packetId, byte[] props, byte[] payload) {
    return publish(topic, qos, false, packetId, props, payload);
  }

  public static byte[] publish(
      String topic, int qos, boolean retain, int packetId, byte[] props, byte[] payload) {
    return packet(
        0x30 | (qos << 1) | (retain ? 1 : 0),
        concat(str(topic), qos > 0 ? u16(packetId) : new byte[0], props, payload));
  }

  public static byte[] subscribe(int packetId, byte[] props, String filter, int options) {
    return packet(0x82, concat(u16(packetId), props, str(filter), bytes(options)));
  }

  public static byte[] varInt(int value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    do {
      int b = value % 128;
      value /= 128;
      out.write(value > 0 ? b | 0x80 : b);
    } while (value > 0);
    return out.toByteArray();
  }

  /** Decodes a PUBLISH received from the broker. */
  public static Publish parsePublish(Packet p) {
    byte[] b = p.body();
    int qos = (p.flags() >> 1) & 3;
    int topicLength = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
    String topic = new String(b, 2, topicLength, StandardCharsets.UTF_8);
    int pos = 2 + topicLength;
    int packetId = 0;
    if (qos > 0) {
      packetId = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
      pos += 2;
    }
    int[] cursor = {pos};
    List<Prop> props = parseProps(b, cursor);
    byte[] payload = java.util.Arrays.copyOfRange(b, cursor[0], b.length);
    return new Publish(topic, qos, packetId, props, payload);
  }

  /**
   * Properties of a packet whose properties start at {@code offset} (CONNACK: 2, DISCONNECT: 1).
   */
  public static List<Prop> propsAt(Packet p, int offset) {
    if (p.body().length <= offset) {
      return List.of();
    }
    return parseProps(p.body(), new int[] {offset});
  }

  private static List<Prop> parseProps(byte[] b, int[] cursor) {
    int length = readVarInt(b, cursor);
    int end = cursor[0] + length;
    List<Prop> props = new ArrayList<>();
    while (cursor[0] < end) {
      int id = b[cursor[0]++] & 0xFF;
      switch (id) {
        case 0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A ->
            props.add(new Prop(id, b[cursor[0]++] & 0xFF));
        case 0x13, 0x21, 0x22, 0x23 -> {
          props.add(new Prop(id, ((b[cursor[0]] & 0xFF) << 8) | (b[cursor[0] + 1] & 0xFF)));
          cursor[0] += 2;
        }
        case 0x02, 0x11, 0x18, 0x27 -> {
          int v = 0;
          for (int i = 0; i < 4; i++) {
            v = (v << 8) | (b[cursor[0]++] & 0xFF);
          }
          props.add(new Prop(id, v));
        }
        case 0x0B -> props.add(new Prop(id, readVarInt(b, cursor)));
        case 0x09, 0x16 -> props.add(new Prop(id, readBinary(b, cursor)));
        case 0x26 -> {
          String k = new String(readBinary(b, cursor), StandardCharsets.UTF_8);
          String v = new String(readBinary(b, cursor), StandardCharsets.UTF_8);
          props.add(new Prop(id, k + "=" + v));
        }
        default ->
            props.add(new Prop(id, new String(readBinary(b, cursor), StandardCharsets.UTF_8)));
      }
    }
    return props;
  }

  private static byte[] readBinary(byte[] b, int[] cursor) {
    int n = ((b[cursor[0]] & 0xFF) << 8) | (b[cursor[0] + 1] & 0xFF);
    byte[] v = java.util.Arrays.copyOfRange(b, cursor[0] + 2, cursor[0] + 2 + n);
    cursor[0] += 2 + n;
    return v;
  }

  private static int readVarInt(byte[] b, int[] cursor) {
    int value = 0;
    int multiplier = 1;
    int x;
    do {
      x = b[cursor[0]++] & 0xFF;
      value += (x & 0x7F) * multiplier;
      multiplier *= 128;
    } while ((x & 0x80) != 0);
    return value;
  }

  public static Object prop(List<Prop> props, int id) {
    return props.stream().filter(p -> p.id() == id).map(Prop::value).findFirst().orElse(null);
  }
}
