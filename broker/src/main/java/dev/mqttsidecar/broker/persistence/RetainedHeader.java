package dev.mqttsidecar.broker.persistence;

import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import java.time.Instant;

/**
 * What the in-memory retained index needs to match topics and answer version checks, without the
 * payload, which stays in the {@link RetainedPersistence} (on disk behind a bounded cache).
 *
 * @param topic the topic
 * @param version the retained version (ETag)
 * @param qos the stored QoS
 * @param expiresAt wall-clock expiry, or null
 */
public record RetainedHeader(String topic, long version, Qos qos, Instant expiresAt) {

  public static RetainedHeader of(RetainedMessage m) {
    return new RetainedHeader(
        m.message().topic(), m.version(), m.message().qos(), m.message().expiresAt());
  }

  public boolean isExpired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
