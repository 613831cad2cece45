package dev.mqttsidecar.broker;

import java.util.Objects;

/**
 * The most persistent sessions (sessions that outlive their connection) the MQTT clients whose id
 * matches a pattern may hold together, for example {@code sensor-*}.
 *
 * @param clientIdPattern a client id, where {@code *} matches any run of characters ({@link Glob})
 * @param max the most sessions among the matching ids; 0 allows none
 */
public record PersistentSessionLimit(String clientIdPattern, int max) {

  public PersistentSessionLimit {
    Objects.requireNonNull(clientIdPattern, "clientIdPattern");
    if (clientIdPattern.isEmpty()) {
      throw new IllegalArgumentException("clientIdPattern must not be empty");
    }
    if (max < 0) {
      throw new IllegalArgumentException("max must not be negative, was " + max);
    }
  }
}
