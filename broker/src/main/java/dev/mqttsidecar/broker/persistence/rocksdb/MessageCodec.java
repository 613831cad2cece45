package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.UserProperty;
import dev.mqttsidecar.broker.persistence.RetainedHeader;
import dev.mqttsidecar.broker.persistence.StorageException;
import dev.mqttsidecar.broker.text.Utf8;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact binary form of stored messages. Every record starts with a format byte so the layout can
 * evolve; unknown formats are refused, never guessed.
 *
 * <pre>
 * retained record: format(1) version(varint) body          (the topic is the key)
 * message record:  format(1) topic(string) body
 * body:            flags(1) [expiry seconds(zigzag varint) nanos(varint)] [content type(string)]
 *                  [response topic(string)] [correlation data(bytes)]
 *                  user property count(varint) (name(string) value(string))* payload(bytes)
 * flags:           bits 0-1 QoS, 2 retain, 3 UTF-8 payload, 4 expiry, 5 content type,
 *                  6 response topic, 7 correlation data
 * string, bytes:   length(varint) then the UTF-8 or raw bytes
 * </pre>
 */
public final class MessageCodec {
  /** The record format written by this version. */
  public static final int FORMAT = 1;

  private static final int RETAIN = 1 << 2;
  private static final int UTF8 = 1 << 3;
  private static final int EXPIRY = 1 << 4;
  private static final int CONTENT_TYPE = 1 << 5;
  private static final int RESPONSE_TOPIC = 1 << 6;
  private static final int CORRELATION = 1 << 7;

  private MessageCodec() {}

  /** Encodes a retained message without its topic (stored as the key). */
  public static byte[] encodeRetained(RetainedMessage m) {
    ByteWriter w = new ByteWriter(m.message().payloadSize() + 32);
    w.writeByte(FORMAT);
    w.writeVarLong(m.version());
    writeBody(w, m.message());
    return w.toByteArray();
  }

  /** Decodes {@link #encodeRetained}'s output; {@code topic} is the record's key. */
  public static RetainedMessage decodeRetained(String topic, byte[] record) {
    try {
      ByteReader r = new ByteReader(record);
      checkFormat(r.readByte());
      long version = r.readVarLong();
      return new RetainedMessage(readBody(r, topic), version);
    } catch (IllegalArgumentException e) {
      throw new StorageException(
          "unreadable retained message for topic '" + topic + "': " + e.getMessage(), e);
    }
  }

  /**
   * Decodes only what an in-memory index needs from {@link #encodeRetained}'s output, without
   * copying the payload or properties; their lengths give the size {@link RetainedHeader#sizeOf}
   * counts.
   */
  public static RetainedHeader decodeRetainedHeader(String topic, byte[] record) {
    try {
      ByteReader r = new ByteReader(record);
      checkFormat(r.readByte());
      long version = r.readVarLong();
      int flags = r.readByte();
      Instant expiresAt = (flags & EXPIRY) != 0 ? readExpiry(r) : null;
      long size = Utf8.length(topic);
      for (int field : new int[] {CONTENT_TYPE, RESPONSE_TOPIC, CORRELATION}) {
        size += (flags & field) != 0 ? r.skipBytes() : 0;
      }
      int users = r.readLength();
      for (int i = 0; i < users * 2; i++) {
        size += r.skipBytes();
      }
      size += r.skipBytes(); // the payload
      if (!r.atEnd()) {
        throw new IllegalArgumentException("trailing bytes after the payload");
      }
      return new RetainedHeader(topic, version, Qos.of(flags & 3), expiresAt, size);
    } catch (IllegalArgumentException e) {
      throw new StorageException(
          "unreadable retained message for topic '" + topic + "': " + e.getMessage(), e);
    }
  }

  /** Encodes a message with its topic. */
  public static byte[] encodeMessage(Message m) {
    ByteWriter w = new ByteWriter(m.payloadSize() + m.topic().length() + 32);
    w.writeByte(FORMAT);
    w.writeString(m.topic());
    writeBody(w, m);
    return w.toByteArray();
  }

  /** Decodes {@link #encodeMessage}'s output. */
  public static Message decodeMessage(byte[] record) {
    try {
      ByteReader r = new ByteReader(record);
      checkFormat(r.readByte());
      return readBody(r, r.readString());
    } catch (IllegalArgumentException e) {
      throw new StorageException("unreadable stored message: " + e.getMessage(), e);
    }
  }

  private static void checkFormat(int format) {
    if (format != FORMAT) {
      throw new IllegalArgumentException(
          "unknown record format " + format + " (this broker reads " + FORMAT + ")");
    }
  }

  private static void writeBody(ByteWriter w, Message m) {
    MessageProperties p = m.properties();
    byte[] correlation = p.correlationData();
    int flags = m.qos().value();
    flags |= m.retain() ? RETAIN : 0;
    flags |= p.utf8Payload() ? UTF8 : 0;
    flags |= m.expiresAt() != null ? EXPIRY : 0;
    flags |= p.contentType() != null ? CONTENT_TYPE : 0;
    flags |= p.responseTopic() != null ? RESPONSE_TOPIC : 0;
    flags |= correlation != null ? CORRELATION : 0;
    w.writeByte(flags);
    if (m.expiresAt() != null) {
      long seconds = m.expiresAt().getEpochSecond();
      w.writeVarLong((seconds << 1) ^ (seconds >> 63));
      w.writeVarLong(m.expiresAt().getNano());
    }
    if (p.contentType() != null) {
      w.writeString(p.contentType());
    }
    if (p.responseTopic() != null) {
      w.writeString(p.responseTopic());
    }
    if (correlation != null) {
      w.writeBytes(correlation);
    }
    w.writeVarLong(p.userProperties().size());
    for (UserProperty u : p.userProperties()) {
      w.writeString(u.name());
      w.writeString(u.value());
    }
    w.writeBytes(m.payload());
  }

  private static Instant readExpiry(ByteReader r) {
    long zigzag = r.readVarLong();
    long seconds = (zigzag >>> 1) ^ -(zigzag & 1);
    return Instant.ofEpochSecond(seconds, r.readVarLong());
  }

  private static Message readBody(ByteReader r, String topic) {
    int flags = r.readByte();
    Qos qos = Qos.of(flags & 3);
    Instant expiresAt = null;
    if ((flags & EXPIRY) != 0) {
      expiresAt = readExpiry(r);
    }
    String contentType = (flags & CONTENT_TYPE) != 0 ? r.readString() : null;
    String responseTopic = (flags & RESPONSE_TOPIC) != 0 ? r.readString() : null;
    byte[] correlation = (flags & CORRELATION) != 0 ? r.readBytes() : null;
    int count = r.readLength();
    List<UserProperty> users = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      users.add(new UserProperty(r.readString(), r.readString()));
    }
    byte[] payload = r.readBytes();
    if (!r.atEnd()) {
      throw new IllegalArgumentException("trailing bytes after the payload");
    }
    MessageProperties props =
        (flags & (UTF8 | CONTENT_TYPE | RESPONSE_TOPIC | CORRELATION)) == 0 && users.isEmpty()
            ? MessageProperties.NONE
            : new MessageProperties(
                (flags & UTF8) != 0, contentType, responseTopic, correlation, users);
    return new Message(topic, payload, qos, (flags & RETAIN) != 0, props, expiresAt);
  }
}
