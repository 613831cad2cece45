package dev.mqttsidecar.broker.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * A byte-level MQTT client for malformed input and exact packet assertions. Every read is bounded
 * by a timeout.
 */
public final class RawMqttClient implements AutoCloseable {

  /** One packet as received: fixed header byte 1 and the bytes after the remaining length. */
  public record Packet(int header, byte[] body) {
    public int type() {
      return header >> 4;
    }

    public int flags() {
      return header & 0x0F;
    }

    /** The whole packet as sent on the wire. */
    public byte[] bytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(header);
      writeLength(out, body.length);
      out.writeBytes(body);
      return out.toByteArray();
    }

    @Override
    public String toString() {
      return "Packet[type="
          + type()
          + ", flags="
          + flags()
          + ", body="
          + Arrays.toString(body)
          + "]";
    }
  }

  public static final int CONNACK = 2;
  public static final int PUBLISH = 3;
  public static final int PUBACK = 4;
  public static final int PUBREC = 5;
  public static final int PUBREL = 6;
  public static final int PUBCOMP = 7;
  public static final int SUBACK = 9;
  public static final int UNSUBACK = 11;
  public static final int PINGRESP = 13;
  public static final int DISCONNECT = 14;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawMqttClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  public static RawMqttClient connect(String host, int port) throws IOException {
    Socket s = new Socket(host, port);
    s.setTcpNoDelay(true);
    s.setSoTimeout(5000);
    return new RawMqttClient(s);
  }

  /** A raw client over an already connected socket (a TLS socket, for instance). */
  public static RawMqttClient over(Socket connected) throws IOException {
    connected.setTcpNoDelay(true);
    connected.setSoTimeout(5000);
    return new RawMqttClient(connected);
  }

  public RawMqttClient send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Reads one packet within {@code timeout}; throws on timeout or end of stream. */
  public Packet read(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    int header = in.read();
    if (header < 0) {
      throw new EOFException("connection closed");
    }
    int length = 0;
    int multiplier = 1;
    for (int i = 0; i < 4; i++) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in fixed header");
      }
      length += (b & 0x7F) * multiplier;
      multiplier <<= 7;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException("connection closed in packet body");
    }
    return new Packet(header, body);
  }

  public Packet read() throws IOException {
    return read(Duration.ofSeconds(5));
  }

  /** Reads until a packet of {@code type} arrives, skipping others; bounded to 100 packets. */
  public Packet readType(int type) throws IOException {
    for (int i = 0; i < 100; i++) {
      Packet p = read();
      if (p.type() == type) {
        return p;
      }
    }
    throw new IOException("no packet of type " + type);
  }

  /**
   * True if the broker closes the connection within {@code timeout}, skipping packets it sends
   * first (up to 100).
   */
  public boolean closedWithin(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < 100; i++) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      try {
        socket.setSoTimeout((int) left);
        int b = in.read();
        if (b < 0) {
          return true;
        }
        // Skip the rest of this packet.
        int length = 0;
        int multiplier = 1;
        for (int k = 0; k < 4; k++) {
          int lb = in.read();
          if (lb < 0) {
            return true;
          }
          length += (lb & 0x7F) * multiplier;
          multiplier <<= 7;
          if ((lb & 0x80) == 0) {
            break;
          }
        }
        if (in.readNBytes(length).length < length) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset by peer
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
    }
    return false;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  // ---- packet builders ----

  /** A packet from its first byte and body; the remaining length is computed. */
  public static byte[] packet(int header, byte[] body) {
    return new Packet(header, body).bytes();
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A UTF-8 string with its two-byte length. */
  public static byte[] str(String s) {
    return bin(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Binary data with its two-byte length. */
  public static byte[] bin(byte[] b) {
    return concat(new byte[] {(byte) (b.length >> 8), (byte) b.length}, b);
  }

  public static byte[] u16(int v) {
    return new byte[] {(byte) (v >> 8), (byte) v};
  }

  public static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  /** CONNECT for 3.1.1 (level 4) with only a client id. */
  public static byte[] connect311(String clientId, boolean cleanSession, int keepAlive) {
    return packet(
        0x10,
        concat(str("MQTT"), bytes(4, cleanSession ? 0x02 : 0x00), u16(keepAlive), str(clientId)));
  }

  /** CONNECT for 5.0 (level 5) with only a client id and no properties. */
  public static byte[] connect5(String clientId, boolean cleanStart, int keepAlive) {
    return packet(
        0x10,
        concat(
            str("MQTT"),
            bytes(5, cleanStart ? 0x02 : 0x00),
            u16(keepAlive),
            bytes(0),
            str(clientId)));
  }

  /** PUBLISH for 3.1.1 (no properties). */
  public static byte[] publish311(
      String topic, int qos, boolean retain, boolean dup, int packetId, byte[] payload) {
    int header = 0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0);
    return packet(header, concat(str(topic), qos > 0 ? u16(packetId) : new byte[0], payload));
  }

  /** PUBLISH for 5.0 with empty properties. */
  public static byte[] publish5(
      String topic, int qos, boolean retain, boolean dup, int packetId, byte[] payload) {
    int header = 0x30 | (dup ? 0x08 : 0) | (qos << 1) | (retain ? 1 : 0);
    return packet(
        header, concat(str(topic), qos > 0 ? u16(packetId) : new byte[0], bytes(0), payload));
  }

  /** SUBSCRIBE (3.1.1 form) for one filter. */
  public static byte[] subscribe311(int packetId, String filter, int qos) {
    return packet(0x82, concat(u16(packetId), str(filter), bytes(qos)));
  }

  /** SUBSCRIBE (5.0 form, no properties) for one filter with an options byte. */
  public static byte[] subscribe5(int packetId, String filter, int options) {
    return packet(0x82, concat(u16(packetId), bytes(0), str(filter), bytes(options)));
  }

  public static byte[] pubAck(int type, int packetId) {
    int header = (type << 4) | (type == PUBREL ? 0x02 : 0);
    return packet(header, u16(packetId));
  }

  public static final byte[] PINGREQ = bytes(0xC0, 0x00);
  public static final byte[] DISCONNECT_311 = bytes(0xE0, 0x00);

  /** Reads a two-byte big-endian value from {@code b} at {@code offset}. */
  public static int u16(byte[] b, int offset) {
    return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
  }

  static void writeLength(ByteArrayOutputStream out, int length) {
    do {
      int digit = length % 128;
      length /= 128;
      if (length > 0) {
        digit |= 0x80;
      }
      out.write(digit);
    } while (length > 0);
  }
}
