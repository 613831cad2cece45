package dev.mqttsidecar.broker.persistence.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link ByteWriter} wrote; throws {@link IllegalArgumentException} on malformed input.
 */
final class ByteReader {
  private final byte[] buf;
  private int pos;

  ByteReader(byte[] buf) {
    this.buf = buf;
  }

  int readByte() {
    if (pos >= buf.length) {
      throw new IllegalArgumentException("record truncated at byte " + pos);
    }
    return buf[pos++] & 0xFF;
  }

  long readVarLong() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("variable-length integer too long at byte " + pos);
  }

  int readLength() {
    long n = readVarLong();
    if (n < 0 || n > buf.length - pos) {
      throw new IllegalArgumentException(
          "length " + n + " past the end of the record at byte " + pos);
    }
    return (int) n;
  }

  byte[] readBytes() {
    int n = readLength();
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  /** Skips what {@link ByteWriter#writeBytes} or {@code writeString} wrote; returns its length. */
  int skipBytes() {
    int n = readLength();
    pos += n;
    return n;
  }

  String readString() {
    int n = readLength();
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  boolean atEnd() {
    return pos == buf.length;
  }
}
