package dev.mqttsidecar.state.aio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The subset of RESP3 the Azure IoT Operations state store speaks: a request is one flat array of
 * bulk strings; an answer is a simple string, an integer, a bulk string, a null bulk string or an
 * error. Reading is strict: every length is bounded and checked before anything is allocated, so a
 * hostile payload costs no more than its own size.
 */
public final class Resp3 {
  private static final byte[] CRLF = {'\r', '\n'};

  /** Enough for any count or length below {@link Integer#MAX_VALUE}; more digits are refused. */
  private static final int MAX_DIGITS = 10;

  private Resp3() {}

  /** A payload that is not a request this codec reads, with a message saying why. */
  public static final class MalformedException extends Exception {
    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Reads a request: {@code *N\r\n} followed by N bulk strings {@code $len\r\n<bytes>\r\n}, and
   * nothing after them. Nested arrays and other types are refused.
   *
   * @param maxElements the most array elements accepted
   * @throws MalformedException when the payload is anything else
   */
  public static List<byte[]> readRequest(byte[] payload, int maxElements)
      throws MalformedException {
    Reader reader = new Reader(payload);
    reader.expect('*', "a request must be a RESP3 array ('*')");
    int count = reader.length("array length");
    if (count == 0) {
      throw new MalformedException("the request array is empty");
    }
    if (count > maxElements) {
      throw new MalformedException(
          "the request array has " + count + " elements, more than " + maxElements);
    }
    List<byte[]> elements = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      reader.expect('$', "array element " + (i + 1) + " must be a bulk string ('$')");
      int length = reader.length("bulk string length");
      elements.add(reader.bytes(length));
    }
    if (reader.position < payload.length) {
      throw new MalformedException(
          (payload.length - reader.position) + " bytes after the end of the request array");
    }
    return elements;
  }

  /** {@code +OK\r\n}. */
  public static byte[] ok() {
    return "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code :n\r\n}. */
  public static byte[] integer(long n) {
    return (":" + n + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code $-1\r\n}: no value. */
  public static byte[] nullBulk() {
    return "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
  }

  /** {@code $len\r\n<bytes>\r\n}. */
  public static byte[] bulk(byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 16);
    writeBulk(out, value);
    return out.toByteArray();
  }

  /** An array of bulk strings, as a request or a notification is written. */
  public static byte[] array(List<byte[]> elements) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("*" + elements.size()).getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(CRLF);
    for (byte[] element : elements) {
      writeBulk(out, element);
    }
    return out.toByteArray();
  }

  /**
   * {@code -ERR <message>\r\n}; line breaks in the message become spaces, since the first CRLF ends
   * an error.
   */
  public static byte[] error(String message) {
    String oneLine = message.replace('\r', ' ').replace('\n', ' ');
    return ("-ERR " + oneLine + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void writeBulk(ByteArrayOutputStream out, byte[] value) {
    out.writeBytes(("$" + value.length).getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(CRLF);
    out.writeBytes(value);
    out.writeBytes(CRLF);
  }

  /** A cursor over the payload that refuses to read past its end. */
  private static final class Reader {
    private final byte[] payload;
    private int position;

    Reader(byte[] payload) {
      this.payload = payload;
    }

    void expect(char type, String problem) throws MalformedException {
      if (position >= payload.length) {
        throw new MalformedException("the request ends early: " + problem);
      }
      if (payload[position] != type) {
        throw new MalformedException(problem + " at byte " + position);
      }
      position++;
    }

    /** A non-negative decimal of at most {@link #MAX_DIGITS} digits, then CRLF. */
    int length(String what) throws MalformedException {
      int start = position;
      long value = 0;
      while (position < payload.length && payload[position] >= '0' && payload[position] <= '9') {
        if (position - start == MAX_DIGITS) {
          throw new MalformedException(what + " has more than " + MAX_DIGITS + " digits");
        }
        value = value * 10 + (payload[position] - '0');
        position++;
      }
      if (position == start) {
        throw new MalformedException(what + " at byte " + start + " is not a decimal number");
      }
      if (value > Integer.MAX_VALUE) {
        throw new MalformedException(what + " " + value + " is too large");
      }
      crlf(what);
      return (int) value;
    }

    byte[] bytes(int length) throws MalformedException {
      // Checked against what is there before allocating: a claimed length is never trusted.
      if (length > payload.length - position) {
        throw new MalformedException(
            "bulk string of "
                + length
                + " bytes at byte "
                + position
                + " runs past the end of the request");
      }
      byte[] out = new byte[length];
      System.arraycopy(payload, position, out, 0, length);
      position += length;
      crlf("bulk string");
      return out;
    }

    private void crlf(String after) throws MalformedException {
      if (payload.length - position < 2
          || payload[position] != '\r'
          || payload[position + 1] != '\n') {
        throw new MalformedException("CRLF expected after the " + after + " at byte " + position);
      }
      position += 2;
    }
  }
}
