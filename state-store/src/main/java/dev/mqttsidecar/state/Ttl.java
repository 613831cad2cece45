package dev.mqttsidecar.state;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Dapr's {@code ttlInSeconds} request metadata, carried as the MQTT 5 Message Expiry Interval. */
public final class Ttl {
  /** The request metadata key. */
  public static final String METADATA_KEY = "ttlInSeconds";

  /** The largest Message Expiry Interval MQTT can carry (a four byte integer). */
  static final long MAX_SECONDS = 0xFFFF_FFFFL;

  private Ttl() {}

  /**
   * The time to live a request asks for: empty when absent or not positive (no expiry, which also
   * clears an earlier TTL).
   *
   * @throws StateException INVALID_ARGUMENT for a value that is not an integer or is too large
   */
  public static Optional<Duration> from(Map<String, String> metadata) {
    String raw = metadata.get(METADATA_KEY);
    if (raw == null || raw.isBlank()) {
      return Optional.empty();
    }
    long seconds;
    try {
      seconds = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw StateException.invalid(
          "metadata ttlInSeconds must be an integer number of seconds, was '" + raw + "'");
    }
    if (seconds > MAX_SECONDS) {
      throw StateException.invalid(
          "metadata ttlInSeconds must be at most " + MAX_SECONDS + ", was " + seconds);
    }
    return seconds <= 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
  }
}
