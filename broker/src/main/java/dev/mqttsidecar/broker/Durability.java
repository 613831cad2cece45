package dev.mqttsidecar.broker;

import java.util.Locale;

/**
 * How hard the broker works to keep an acknowledged write.
 *
 * <ul>
 *   <li>{@link #FSYNC} (default): a write is acknowledged only after the write-ahead log holding it
 *       has been fsync'd. Concurrent writers share one sync (group commit). Survives {@code kill
 *       -9} and power loss.
 *   <li>{@link #PERIODIC}: a write is acknowledged once it is in the write-ahead log (in the OS
 *       page cache); the log is fsync'd every {@code syncInterval}. Survives {@code kill -9} of the
 *       process; a power loss or kernel crash may lose the writes of the last {@code syncInterval}.
 *   <li>{@link #MEMORY}: nothing touches the disk; everything is lost when the process ends. Uses
 *       the broker's in-memory implementations, no storage engine at all. For tests and ephemeral
 *       use.
 * </ul>
 */
public enum Durability {
  FSYNC,
  PERIODIC,
  MEMORY;

  /** Parses a configuration value ({@code fsync}, {@code periodic}, {@code memory}; any case). */
  public static Durability parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "durability must be fsync, periodic or memory, was '" + value + "'", e);
    }
  }

  /** The configuration spelling. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
