package dev.mqttsidecar.broker;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An application message as it travels through the broker, whatever its ingress (MQTT client, Dapr,
 * state store). Immutable: the public constructor and {@link #payload()} copy the payload; the
 * broker's own path hands it on without copies ({@link #wrapping}, {@link #payloadView()}).
 *
 * <p>topic: topic name (no wildcards); payload: empty with {@code retain} clears a retained message
 * [MQTT-3.3.1-10]; qos: the publisher's QoS; retain: the RETAIN flag; properties: MQTT 5 properties
 * ({@link MessageProperties#NONE} when none); expiresAt: wall-clock expiry (MQTT 5 Message Expiry
 * Interval), or null for never.
 */
public final class Message {
  private static final byte[] EMPTY = new byte[0];

  private final String topic;
  private final byte[] payload; // never changed and never handed out
  private final Qos qos;
  private final boolean retain;
  private final MessageProperties properties;
  private final Instant expiresAt;

  public Message(
      String topic,
      byte[] payload,
      Qos qos,
      boolean retain,
      MessageProperties properties,
      Instant expiresAt) {
    this(topic, payload == null ? null : payload.clone(), qos, properties, expiresAt, retain);
  }

  /** Takes {@code payload} as it is; the one constructor that does not copy it. */
  private Message(
      String topic,
      byte[] payload,
      Qos qos,
      MessageProperties properties,
      Instant expiresAt,
      boolean retain) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.payload = payload == null ? EMPTY : payload;
    this.qos = Objects.requireNonNull(qos, "qos");
    this.retain = retain;
    this.properties = Objects.requireNonNull(properties, "properties");
    this.expiresAt = expiresAt;
  }

  /**
   * A message that keeps {@code payload} without copying it, for a decoder that made the array and
   * hands it over: the caller must never change it afterwards.
   */
  public static Message wrapping(
      String topic,
      byte[] payload,
      Qos qos,
      boolean retain,
      MessageProperties properties,
      Instant expiresAt) {
    return new Message(topic, payload, qos, properties, expiresAt, retain);
  }

  /** A plain message with no properties and no expiry. */
  public static Message of(String topic, byte[] payload, Qos qos, boolean retain) {
    return new Message(topic, payload, qos, retain, MessageProperties.NONE, null);
  }

  public String topic() {
    return topic;
  }

  /** A copy of the payload. */
  public byte[] payload() {
    return payload.clone();
  }

  /** The payload without a copy, read-only: what an encoder writes from. */
  public ByteBuffer payloadView() {
    return ByteBuffer.wrap(payload).asReadOnlyBuffer();
  }

  public Qos qos() {
    return qos;
  }

  public boolean retain() {
    return retain;
  }

  public MessageProperties properties() {
    return properties;
  }

  /** Wall-clock expiry, or null for never. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** Payload length without copying. */
  public int payloadSize() {
    return payload.length;
  }

  public boolean isExpired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  public Message withTopic(String newTopic) {
    return new Message(newTopic, payload, qos, properties, expiresAt, retain);
  }

  /** This message with another QoS; itself when the QoS is the same (no payload copy). */
  public Message withQos(Qos newQos) {
    return newQos == qos
        ? this
        : new Message(topic, payload, newQos, properties, expiresAt, retain);
  }

  /** This message with another RETAIN flag; itself when the flag is the same. */
  public Message withRetain(boolean newRetain) {
    return newRetain == retain
        ? this
        : new Message(topic, payload, qos, properties, expiresAt, newRetain);
  }

  /** This message without payload and properties: what a queue keeps while they are on disk. */
  public Message withoutContent() {
    return new Message(topic, null, qos, MessageProperties.NONE, expiresAt, retain);
  }

  /** This message with the payload and properties of {@code stored} (its stored copy). */
  public Message withContentOf(Message stored) {
    return new Message(topic, stored.payload, qos, stored.properties, expiresAt, retain);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Message m
        && topic.equals(m.topic)
        && Arrays.equals(payload, m.payload)
        && qos == m.qos
        && retain == m.retain
        && properties.equals(m.properties)
        && Objects.equals(expiresAt, m.expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, Arrays.hashCode(payload), qos, retain, properties, expiresAt);
  }

  @Override
  public String toString() {
    return "Message[topic="
        + topic
        + ", "
        + payload.length
        + " bytes, "
        + qos
        + ", retain="
        + retain
        + ", expiresAt="
        + expiresAt
        + ", "
        + properties
        + "]";
  }
}
