package dev.mqttsidecar.component.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer kept from one scrape to the next, so that a scrape allocates its text once
 * (the copy handed to the HTTP response) instead of a string per sample.
 */
final class TextBuffer {
  private static final byte[] NAN = ascii("NaN");
  private static final byte[] PLUS_INF = ascii("+Inf");
  private static final byte[] MINUS_INF = ascii("-Inf");

  private byte[] bytes = new byte[16 * 1024];
  private int size;

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  void reset() {
    size = 0;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  TextBuffer append(byte[] text) {
    ensure(text.length);
    System.arraycopy(text, 0, bytes, size, text.length);
    size += text.length;
    return this;
  }

  TextBuffer newline() {
    ensure(1);
    bytes[size++] = '\n';
    return this;
  }

  /** A count: the format's integers, as the Prometheus client writes bucket and sample counts. */
  TextBuffer append(long value) {
    if (value == Long.MIN_VALUE) {
      return appendAscii(Long.toString(value));
    }
    ensure(20);
    if (value < 0) {
      bytes[size++] = '-';
      value = -value;
    }
    int start = size;
    do {
      bytes[size++] = (byte) ('0' + value % 10);
      value /= 10;
    } while (value != 0);
    for (int i = start, j = size - 1; i < j; i++, j--) {
      byte b = bytes[i];
      bytes[i] = bytes[j];
      bytes[j] = b;
    }
    return this;
  }

  /**
   * A float as Go's ParseFloat reads it: Java's shortest form, or NaN, +Inf, -Inf. Whole numbers
   * below 10^7, most samples, are written as {@link Double#toString} would ("42.0") without the
   * string it makes.
   */
  TextBuffer append(double value) {
    if (Double.isNaN(value)) {
      return append(NAN);
    }
    if (Double.isInfinite(value)) {
      return append(value > 0 ? PLUS_INF : MINUS_INF);
    }
    long whole = (long) value;
    if (whole == value && Math.abs(value) < 1e7 && (whole != 0 || 1 / value > 0)) {
      append(whole);
      ensure(2);
      bytes[size++] = '.';
      bytes[size++] = '0';
      return this;
    }
    return appendAscii(Double.toString(value));
  }

  private TextBuffer appendAscii(String text) {
    int n = text.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      bytes[size++] = (byte) text.charAt(i);
    }
    return this;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
