package dev.mqttsidecar.broker;

import java.util.List;

/**
 * Bounds on what clients can make the broker keep after they are gone: retained messages and
 * sessions that outlive their connection. A request that would pass one is refused with the MQTT 5
 * reason code 0x97 Quota exceeded (or what MQTT 3.1.1 has instead); one that keeps or shrinks what
 * is held is never refused, so a broker above a lowered bound can still shrink.
 *
 * @param maxRetainedMessages topics holding a retained message, from every ingress (MQTT clients,
 *     wills, {@link Broker#publish}, the state store); expired ones count until removed
 * @param maxRetainedBytes the retained messages' sizes together: topic, payload, content type,
 *     response topic, correlation data and user properties, in bytes
 * @param maxPersistentSessions MQTT client sessions with a non-zero expiry (3.1.1: clean session
 *     0), in total; in-process subscriber sessions do not count
 * @param persistentSessionLimits tighter bounds for the client ids a pattern matches
 */
public record Quotas(
    int maxRetainedMessages,
    long maxRetainedBytes,
    int maxPersistentSessions,
    List<PersistentSessionLimit> persistentSessionLimits) {

  /**
   * The defaults: 2,000,000 retained messages (their index in memory takes about 180 MiB of heap
   * per million), 4 GiB of them (on disk in a durable mode), 100,000 persistent sessions, no per
   * client id bounds.
   */
  public static final Quotas DEFAULTS = new Quotas(2_000_000, 4L << 30, 100_000, List.of());

  public Quotas {
    if (maxRetainedMessages < 1) {
      throw new IllegalArgumentException(
          "maxRetainedMessages must be positive, was " + maxRetainedMessages);
    }
    if (maxRetainedBytes < 1) {
      throw new IllegalArgumentException(
          "maxRetainedBytes must be positive, was " + maxRetainedBytes);
    }
    if (maxPersistentSessions < 0) {
      throw new IllegalArgumentException(
          "maxPersistentSessions must not be negative, was " + maxPersistentSessions);
    }
    persistentSessionLimits = List.copyOf(persistentSessionLimits);
  }

  public Quotas withMaxRetainedMessages(int value) {
    return new Quotas(value, maxRetainedBytes, maxPersistentSessions, persistentSessionLimits);
  }

  public Quotas withMaxRetainedBytes(long value) {
    return new Quotas(maxRetainedMessages, value, maxPersistentSessions, persistentSessionLimits);
  }

  public Quotas withMaxPersistentSessions(int value) {
    return new Quotas(maxRetainedMessages, maxRetainedBytes, value, persistentSessionLimits);
  }

  public Quotas withPersistentSessionLimits(List<PersistentSessionLimit> value) {
    return new Quotas(maxRetainedMessages, maxRetainedBytes, maxPersistentSessions, value);
  }
}
