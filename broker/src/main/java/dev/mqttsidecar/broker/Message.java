package dev.mqttsidecar.broker;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * An application message as it travels through the broker, whatever its ingress (MQTT client, Dapr,
 * state store). Immutable: the payload is copied in and out.
 *
 * @param topic topic name (no wildcards)
 * @param payload payload bytes; empty with {@code retain} clears a retained message [MQTT-3.3.1-10]
 * @param qos the publisher's QoS
 * @param retain the RETAIN flag
 * @param properties MQTT 5 properties ({@link MessageProperties#NONE} when none)
 * @param expiresAt wall-clock expiry (MQTT 5 Message Expiry Interval), or null for never
 */
public record Message(
    String topic,
    byte[] payload,
    Qos qos,
    boolean retain,
    MessageProperties properties,
    Instant expiresAt) {

  public Message {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(qos, "qos");
    Objects.requireNonNull(properties, "properties");
    payload = payload == null ? new byte[0] : payload.clone();
  }

  /** A plain message with no properties and no expiry. */
  public static Message of(String topic, byte[] payload, Qos qos, boolean retain) {
    return new Message(topic, payload, qos, retain, MessageProperties.NONE, null);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** Payload length without copying. */
  public int payloadSize() {
    return payload.length;
  }

  public boolean isExpired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  public Message withTopic(String newTopic) {
    return new Message(newTopic, payload, qos, retain, properties, expiresAt);
  }

  /** This message with another QoS; itself when the QoS is the same (no payload copy). */
  public Message withQos(Qos newQos) {
    return newQos == qos
        ? this
        : new Message(topic, payload, newQos, retain, properties, expiresAt);
  }

  /** This message with another RETAIN flag; itself when the flag is the same. */
  public Message withRetain(boolean newRetain) {
    return newRetain == retain
        ? this
        : new Message(topic, payload, qos, newRetain, properties, expiresAt);
  }

  /** This message without payload and properties: what a queue keeps while they are on disk. */
  public Message withoutContent() {
    return new Message(topic, null, qos, retain, MessageProperties.NONE, expiresAt);
  }

  /** This message with the payload and properties of {@code stored} (its stored copy). */
  public Message withContentOf(Message stored) {
    return new Message(topic, stored.payload, qos, retain, stored.properties, expiresAt);
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
