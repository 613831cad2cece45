package dev.mqttsidecar.state;

import dev.mqttsidecar.broker.RetainedWrite;

/** What must hold for a write to apply: Dapr's ETag and first-write concurrency, as a value. */
public sealed interface Precondition {
  /** Last write wins. */
  record None() implements Precondition {}

  /** Insert only: the key must not exist (first-write concurrency without an ETag). */
  record Absent() implements Precondition {}

  /** The key's current ETag must be this version. */
  record Version(long version) implements Precondition {}

  /** The {@link RetainedWrite#expectedVersion()} this stands for. */
  default long expectedVersion() {
    if (this instanceof Version v) {
      return v.version();
    }
    return this instanceof Absent ? RetainedWrite.ABSENT : RetainedWrite.ANY_VERSION;
  }

  /**
   * Dapr's rules: a non-empty ETag must match; without one (absent or "") first-write means insert
   * only and anything else is unconditional.
   *
   * @param etag the request's ETag value, or null when absent
   * @throws StateException {@link StateError.EtagInvalid} for an ETag this store never issues
   */
  static Precondition of(String key, String etag, boolean firstWrite) {
    if (etag == null || etag.isEmpty()) {
      return firstWrite ? new Absent() : new None();
    }
    if (etag.length() <= 19 && etag.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        long version = Long.parseLong(etag);
        if (version >= 1) {
          return new Version(version);
        }
      } catch (NumberFormatException tooLarge) {
        // fall through: not a version this store can have issued
      }
    }
    throw new StateException(
        new StateError.EtagInvalid(
            key, "invalid etag '" + etag + "' for key '" + key + "': etags are positive integers"));
  }
}
