package dev.mqttsidecar.broker.persistence;

import dev.mqttsidecar.broker.Message;
import java.time.Duration;
import java.util.Objects;

/**
 * A will kept in the store from its CONNECT until it can no longer fire, so that a connection the
 * broker loses by crashing still gets its will published [MQTT-3.1.2-8].
 *
 * @param clientId the client whose will it is (the key: a client has at most one)
 * @param message the will message; its expiresAt is unset
 * @param expiryInterval the will's Message Expiry Interval, counted from publication, or null
 * @param delay the 5.0 Will Delay Interval (zero for 3.1.1)
 * @param sessionExpiry the Session Expiry Interval in force when the will was stored; it caps the
 *     delay [MQTT-3.1.3-9]
 */
public record StoredWill(
    String clientId,
    Message message,
    Duration expiryInterval,
    Duration delay,
    Duration sessionExpiry) {

  public StoredWill {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(sessionExpiry, "sessionExpiry");
  }
}
