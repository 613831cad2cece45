package dev.mqttsidecar.state;

/** Why a state operation failed: a closed set the gRPC adapter maps to Dapr's error contract. */
public sealed interface StateError {

  /** A human-readable explanation. */
  String message();

  /** A given ETag (or first-write's "must not exist") does not match the key's current state. */
  record EtagMismatch(String key, String message) implements StateError {}

  /** A given ETag is not one this store could ever have issued. */
  record EtagInvalid(String key, String message) implements StateError {}

  /** The request is malformed: a bad key, value, metadata value or query. */
  record InvalidArgument(String message) implements StateError {}

  /** An answer would exceed a configured bound; the message names the bound. */
  record TooLarge(String message) implements StateError {}

  /** More writes wait for the disk than the store accepts; nothing was applied, retry later. */
  record Busy(String message) implements StateError {}

  /**
   * The change would pass the broker's bound on retained messages (count or bytes); nothing was
   * applied. The message names the bound.
   */
  record QuotaExceeded(String message) implements StateError {}

  /** The broker could not store the change, or is stopping; nothing was applied. */
  record Unavailable(String message) implements StateError {}
}
