package dev.mqttsidecar.component.console;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.UserProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A message as the console's JSON shows it. The payload travels as base64, so binary payloads
 * arrive intact and the browser decides how to show them (text, JSON or hex).
 *
 * @param time when the console received it (live view) or null
 * @param expiresAt the message's expiry, or null for never
 */
public record MessageJson(
    String time,
    String topic,
    int qos,
    boolean retain,
    String payload,
    int size,
    boolean utf8,
    String contentType,
    String responseTopic,
    String correlationData,
    List<List<String>> userProperties,
    String expiresAt) {

  /** Shows {@code m}, its payload cut to {@code maxPayloadBytes} (size keeps the full length). */
  public static MessageJson of(Message m, Instant time, int maxPayloadBytes) {
    byte[] payload = m.payload();
    byte[] shown =
        payload.length <= maxPayloadBytes
            ? payload
            : java.util.Arrays.copyOf(payload, maxPayloadBytes);
    List<List<String>> users = new ArrayList<>();
    for (UserProperty p : m.properties().userProperties()) {
      users.add(List.of(p.name(), p.value()));
    }
    byte[] correlation = m.properties().correlationData();
    Base64.Encoder b64 = Base64.getEncoder();
    return new MessageJson(
        time == null ? null : time.toString(),
        m.topic(),
        m.qos().value(),
        m.retain(),
        b64.encodeToString(shown),
        payload.length,
        m.properties().utf8Payload(),
        m.properties().contentType(),
        m.properties().responseTopic(),
        correlation == null ? null : b64.encodeToString(correlation),
        users,
        m.expiresAt() == null ? null : m.expiresAt().toString());
  }
}
