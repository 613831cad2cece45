package dev.mqttsidecar.broker.persistence.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keys of the queue column family: {@code length(4) queueId(UTF-8) sequence(8)}. The length prefix
 * keeps queue ids apart even when one is a prefix of another or holds U+0000 (in-process session
 * keys do); the sequence has its sign bit flipped so entries sort in sequence order.
 */
final class QueueKeys {
  private static final int SEQUENCE_BYTES = 8;

  private QueueKeys() {}

  static byte[] key(String queueId, long sequence) {
    byte[] id = queueId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + id.length + SEQUENCE_BYTES)
        .putInt(id.length)
        .put(id)
        .putLong(sequence ^ Long.MIN_VALUE)
        .array();
  }

  /** The first key of a queue. */
  static byte[] start(String queueId) {
    byte[] id = queueId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + id.length).putInt(id.length).put(id).array();
  }

  /** A key past every key of a queue (keys of a queue are exactly its start plus 8 bytes). */
  static byte[] end(String queueId) {
    byte[] start = start(queueId);
    byte[] end = Arrays.copyOf(start, start.length + SEQUENCE_BYTES + 1);
    Arrays.fill(end, start.length, end.length, (byte) 0xFF);
    return end;
  }

  static String queueId(byte[] key) {
    int length = ByteBuffer.wrap(key).getInt();
    return new String(key, 4, length, StandardCharsets.UTF_8);
  }

  static long sequence(byte[] key) {
    return ByteBuffer.wrap(key, key.length - SEQUENCE_BYTES, SEQUENCE_BYTES).getLong()
        ^ Long.MIN_VALUE;
  }
}
