package dev.mqttsidecar.broker.persistence;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.UserProperty;
import dev.mqttsidecar.broker.text.Utf8;
import java.time.Instant;

/**
 * What the in-memory retained index needs to match topics, answer version checks and account for
 * the retained bytes, without the payload, which stays in the {@link RetainedPersistence} (on disk
 * behind a bounded cache).
 *
 * @param topic the topic
 * @param version the retained version (ETag)
 * @param qos the stored QoS
 * @param expiresAt wall-clock expiry, or null
 * @param size the message's size as {@link #sizeOf} counts it
 */
public record RetainedHeader(String topic, long version, Qos qos, Instant expiresAt, long size) {

  public static RetainedHeader of(RetainedMessage m) {
    Message message = m.message();
    return new RetainedHeader(
        message.topic(), m.version(), message.qos(), message.expiresAt(), sizeOf(message));
  }

  /**
   * What a retained message counts against the retained bytes limit: the UTF-8 bytes of its topic,
   * payload, content type, response topic, correlation data and user properties. A restore computes
   * the same from the stored record, so the accounting survives a restart.
   */
  public static long sizeOf(Message m) {
    MessageProperties p = m.properties();
    long n = Utf8.length(m.topic()) + m.payloadSize();
    n += p.contentType() == null ? 0 : Utf8.length(p.contentType());
    n += p.responseTopic() == null ? 0 : Utf8.length(p.responseTopic());
    n += p.correlationData() == null ? 0 : p.correlationData().length;
    for (UserProperty u : p.userProperties()) {
      n += Utf8.length(u.name()) + Utf8.length(u.value());
    }
    return n;
  }

  public boolean isExpired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
