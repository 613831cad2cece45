package dev.mqttsidecar.broker.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A hand-written WebSocket client (RFC 6455) over a socket: the upgrade request, and frames built
 * byte by byte, so tests choose exactly how MQTT packets are cut into frames.
 */
public final class RawWebSocketClient implements AutoCloseable {
  public static final int CONTINUATION = 0x0;
  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;
  public static final int PONG = 0xA;

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The HTTP response to the upgrade request; header names in lower case. */
  public record Response(int status, Map<String, String> headers, String body) {}

  /** One frame from the server. */
  public record Frame(boolean fin, int opcode, byte[] payload) {
    /** The status code of a close frame. */
    public int closeStatus() {
      return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  private RawWebSocketClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    socket.setSoTimeout(5000);
  }

  /** A client over a connected socket (plain, or TLS for wss); call {@link #upgrade} next. */
  public static RawWebSocketClient over(Socket connected) throws IOException {
    return new RawWebSocketClient(connected);
  }

  /** A client on a plain TCP connection to 127.0.0.1:{@code port}. */
  public static RawWebSocketClient connect(int port) throws IOException {
    return new RawWebSocketClient(new Socket("127.0.0.1", port));
  }

  /**
   * Sends the upgrade request for {@code path}, offering {@code subprotocols} (null: no {@code
   * Sec-WebSocket-Protocol} header), and reads the response.
   */
  public Response upgrade(String path, String subprotocols) throws IOException {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    StringBuilder request =
        new StringBuilder()
            .append("GET ")
            .append(path)
            .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .append("Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ")
            .append(Base64.getEncoder().encodeToString(nonce))
            .append("\r\n");
    if (subprotocols != null) {
      request.append("Sec-WebSocket-Protocol: ").append(subprotocols).append("\r\n");
    }
    out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String statusLine = line();
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < 100; i++) {
      String header = line();
      if (header.isEmpty()) {
        break;
      }
      int colon = header.indexOf(':');
      headers.put(
          header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          header.substring(colon + 1).trim());
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    String body = "";
    if (headers.containsKey("content-length")) {
      int length = Integer.parseInt(headers.get("content-length"));
      body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
    return new Response(status, headers, body);
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int i = 0; i < 8192; i++) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in the HTTP response");
      }
      if (b == '\n') {
        String s = line.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      line.write(b);
    }
    throw new IOException("HTTP line too long");
  }

  /** Sends one masked frame, as clients must [RFC 6455 section 5.3]. */
  public RawWebSocketClient send(int opcode, boolean fin, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >> shift));
      }
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
    return this;
  }

  /** Sends {@code payload} as one complete binary message. */
  public RawWebSocketClient sendBinary(byte[] payload) throws IOException {
    return send(BINARY, true, payload);
  }

  /** Reads one frame within {@code timeout}. */
  public Frame readFrame(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    int first = read();
    int second = read();
    long length = second & 0x7F;
    if (length == 126) {
      length = (read() << 8) | read();
    } else if (length == 127) {
      length = 0;
      for (int i = 0; i < 8; i++) {
        length = (length << 8) | read();
      }
    }
    if ((second & 0x80) != 0) {
      throw new IOException("servers must not mask frames");
    }
    byte[] payload = in.readNBytes((int) length);
    if (payload.length < length) {
      throw new EOFException("connection closed in a frame");
    }
    return new Frame((first & 0x80) != 0, first & 0x0F, payload);
  }

  private int read() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("connection closed");
    }
    return b;
  }

  /**
   * Reads one MQTT packet from the binary frames, however the server cut them; skips pings and
   * pongs, bounded to 100 frames.
   */
  public RawMqttClient.Packet readPacket() throws IOException {
    for (int i = 0; i < 100; i++) {
      RawMqttClient.Packet packet = completePacket();
      if (packet != null) {
        return packet;
      }
      Frame frame = readFrame(Duration.ofSeconds(5));
      if (frame.opcode() == BINARY || frame.opcode() == CONTINUATION) {
        pending.writeBytes(frame.payload());
      } else if (frame.opcode() == CLOSE) {
        throw new EOFException("close frame " + frame.closeStatus());
      }
    }
    throw new IOException("no complete MQTT packet in 100 frames");
  }

  private RawMqttClient.Packet completePacket() {
    byte[] bytes = pending.toByteArray();
    if (bytes.length < 2) {
      return null;
    }
    int length = 0;
    int multiplier = 1;
    int at = 1;
    while (true) {
      if (at >= bytes.length) {
        return null;
      }
      int b = bytes[at++] & 0xFF;
      length += (b & 0x7F) * multiplier;
      multiplier <<= 7;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    if (bytes.length < at + length) {
      return null;
    }
    pending.reset();
    pending.write(bytes, at + length, bytes.length - at - length);
    return new RawMqttClient.Packet(bytes[0] & 0xFF, Arrays.copyOfRange(bytes, at, at + length));
  }

  /** True if the server closes the TCP connection within {@code timeout}, skipping frames. */
  public boolean closedWithin(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < 100; i++) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      try {
        readFrame(Duration.ofMillis(left));
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // end of stream or reset
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
}
