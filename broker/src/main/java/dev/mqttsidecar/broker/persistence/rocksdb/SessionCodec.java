package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.StorageException;
import dev.mqttsidecar.broker.persistence.StoredInflight;
import dev.mqttsidecar.broker.persistence.StoredSession;
import dev.mqttsidecar.broker.persistence.StoredSubscription;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Keys and records of the {@link Column#SESSIONS} column family. All keys of a session share the
 * prefix {@code length(4) key(UTF-8)}, then a kind byte: {@code 0} the session record, {@code 1}
 * plus a 2-byte packet id an in-flight entry, {@code 2} plus a packet id an inbound QoS 2 id.
 */
final class SessionCodec {
  static final int RECORD = 0;
  static final int INFLIGHT = 1;
  static final int INBOUND_QOS2 = 2;

  /**
   * In a subscription's option byte (QoS bits 0-1, No Local 2, Retain As Published 3, Retain
   * Handling 4-5): a retained replay is pending, and its version bound follows the Subscription
   * Identifier. Records written before it existed never set it.
   */
  private static final int REPLAY_PENDING = 0x40;

  private SessionCodec() {}

  static byte[] prefix(String sessionKey) {
    byte[] id = sessionKey.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + id.length).putInt(id.length).put(id).array();
  }

  /** A key past every key of the session. */
  static byte[] end(String sessionKey) {
    byte[] prefix = prefix(sessionKey);
    byte[] end = Arrays.copyOf(prefix, prefix.length + 1);
    end[prefix.length] = (byte) 0xFF;
    return end;
  }

  static byte[] key(String sessionKey, int kind) {
    byte[] prefix = prefix(sessionKey);
    return ByteBuffer.allocate(prefix.length + 1).put(prefix).put((byte) kind).array();
  }

  static byte[] key(String sessionKey, int kind, int packetId) {
    byte[] prefix = prefix(sessionKey);
    return ByteBuffer.allocate(prefix.length + 3)
        .put(prefix)
        .put((byte) kind)
        .putShort((short) packetId)
        .array();
  }

  static String sessionKey(byte[] key) {
    return new String(key, 4, ByteBuffer.wrap(key).getInt(), StandardCharsets.UTF_8);
  }

  static int kind(byte[] key) {
    return key[4 + ByteBuffer.wrap(key).getInt()];
  }

  static int packetId(byte[] key) {
    return ByteBuffer.wrap(key, key.length - 2, 2).getShort() & 0xFFFF;
  }

  static byte[] encode(StoredSession s) {
    ByteWriter w = new ByteWriter(64);
    w.writeByte(MessageCodec.FORMAT);
    w.writeString(s.clientId());
    w.writeVarLong(s.expiry().toMillis());
    if (s.disconnectedAt() == null) {
      w.writeByte(0);
    } else {
      w.writeByte(1);
      w.writeVarLong(s.disconnectedAt().toEpochMilli());
    }
    w.writeVarLong(s.subscriptions().size());
    for (StoredSubscription sub : s.subscriptions()) {
      w.writeString(sub.filter());
      w.writeByte(
          sub.qos().value()
              | (sub.noLocal() ? 4 : 0)
              | (sub.retainAsPublished() ? 8 : 0)
              | sub.retainHandling() << 4
              | (sub.replayBefore() > 0 ? REPLAY_PENDING : 0));
      w.writeVarLong(sub.subscriptionId());
      if (sub.replayBefore() > 0) {
        w.writeVarLong(sub.replayBefore());
      }
    }
    return w.toByteArray();
  }

  static StoredSession decode(String sessionKey, byte[] record) {
    try {
      ByteReader r = new ByteReader(record);
      checkFormat(r.readByte());
      String clientId = r.readString();
      Duration expiry = Duration.ofMillis(r.readVarLong());
      Instant disconnectedAt = r.readByte() == 0 ? null : Instant.ofEpochMilli(r.readVarLong());
      int count = r.readLength();
      List<StoredSubscription> subs = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String filter = r.readString();
        int o = r.readByte();
        int subscriptionId = (int) r.readVarLong();
        long replayBefore = (o & REPLAY_PENDING) != 0 ? r.readVarLong() : 0;
        subs.add(
            new StoredSubscription(
                filter,
                Qos.of(o & 3),
                (o & 4) != 0,
                (o & 8) != 0,
                (o >> 4) & 3,
                subscriptionId,
                replayBefore));
      }
      return new StoredSession(sessionKey, clientId, expiry, disconnectedAt, subs);
    } catch (IllegalArgumentException e) {
      throw new StorageException("unreadable session '" + sessionKey + "': " + e.getMessage(), e);
    }
  }

  static byte[] encodeInflight(StoredInflight e) {
    ByteWriter w = new ByteWriter(16);
    w.writeByte(MessageCodec.FORMAT);
    w.writeVarLong(e.sequence());
    w.writeByte(e.pubrecReceived() ? 1 : 0);
    return w.toByteArray();
  }

  static StoredInflight decodeInflight(int packetId, byte[] record) {
    try {
      ByteReader r = new ByteReader(record);
      checkFormat(r.readByte());
      return new StoredInflight(packetId, r.readVarLong(), r.readByte() == 1);
    } catch (IllegalArgumentException e) {
      throw new StorageException(
          "unreadable in-flight entry " + packetId + ": " + e.getMessage(), e);
    }
  }

  private static void checkFormat(int format) {
    if (format != MessageCodec.FORMAT) {
      throw new IllegalArgumentException("unknown record format " + format);
    }
  }
}
