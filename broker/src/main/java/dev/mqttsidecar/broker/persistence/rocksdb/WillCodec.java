package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.persistence.StorageException;
import dev.mqttsidecar.broker.persistence.StoredWill;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Keys and records of the {@link Column#WILLS} column family. The key is the client id (UTF-8).
 *
 * <pre>
 * record:  format(1) flags(1) delay ms(varint) session expiry ms(varint)
 *          [message expiry interval ms(varint)] message(bytes: {@link MessageCodec#encodeMessage})
 * flags:   bit 0 message expiry interval present
 * </pre>
 */
final class WillCodec {
  private static final int HAS_EXPIRY = 1;

  private WillCodec() {}

  static byte[] key(String clientId) {
    return clientId.getBytes(StandardCharsets.UTF_8);
  }

  static String clientId(byte[] key) {
    return new String(key, StandardCharsets.UTF_8);
  }

  static byte[] encode(StoredWill will) {
    byte[] message = MessageCodec.encodeMessage(will.message());
    ByteWriter w = new ByteWriter(message.length + 24);
    w.writeByte(MessageCodec.FORMAT);
    w.writeByte(will.expiryInterval() != null ? HAS_EXPIRY : 0);
    w.writeVarLong(will.delay().toMillis());
    w.writeVarLong(will.sessionExpiry().toMillis());
    if (will.expiryInterval() != null) {
      w.writeVarLong(will.expiryInterval().toMillis());
    }
    w.writeBytes(message);
    return w.toByteArray();
  }

  static StoredWill decode(String clientId, byte[] record) {
    try {
      ByteReader r = new ByteReader(record);
      int format = r.readByte();
      if (format != MessageCodec.FORMAT) {
        throw new IllegalArgumentException("unknown record format " + format);
      }
      int flags = r.readByte();
      Duration delay = Duration.ofMillis(r.readVarLong());
      Duration sessionExpiry = Duration.ofMillis(r.readVarLong());
      Duration expiry = (flags & HAS_EXPIRY) != 0 ? Duration.ofMillis(r.readVarLong()) : null;
      byte[] message = r.readBytes();
      if (!r.atEnd()) {
        throw new IllegalArgumentException("trailing bytes after the message");
      }
      return new StoredWill(
          clientId, MessageCodec.decodeMessage(message), expiry, delay, sessionExpiry);
    } catch (IllegalArgumentException | StorageException e) {
      throw new StorageException("unreadable will of '" + clientId + "': " + e.getMessage(), e);
    }
  }
}
