package dev.mqttsidecar.broker.persistence.rocksdb;

import dev.mqttsidecar.broker.Qos;
import java.time.Instant;

/**
 * What an in-memory retained index needs to match topics and answer version checks, without the
 * payload (which stays in the store behind {@link RetainedReader}'s cache).
 *
 * @param topic the topic
 * @param version the retained version (ETag)
 * @param qos the stored QoS
 * @param expiresAt wall-clock expiry, or null
 */
public record RetainedHeader(String topic, long version, Qos qos, Instant expiresAt) {

  public boolean isExpired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }
}
