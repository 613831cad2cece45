package dev.mqttsidecar.broker.persistence;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The durable part of a persistent session, written when it changes (subscribe, unsubscribe,
 * connect, disconnect). Expiry counts in wall-clock time from {@code disconnectedAt}, so it keeps
 * running while the broker is down.
 *
 * @param key the session registry key
 * @param clientId the client id
 * @param expiry the Session Expiry Interval
 * @param disconnectedAt when the client disconnected, or null while it is connected
 * @param subscriptions its subscriptions
 */
public record StoredSession(
    String key,
    String clientId,
    Duration expiry,
    Instant disconnectedAt,
    List<StoredSubscription> subscriptions) {

  public StoredSession {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(expiry, "expiry");
    subscriptions = List.copyOf(subscriptions);
  }

  /** Whether the session expired by {@code now}; a connected session never has. */
  public boolean isExpired(Instant now) {
    return disconnectedAt != null && !now.isBefore(disconnectedAt.plus(expiry));
  }
}
