package dev.mqttsidecar.state;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** One write of a state key: a Dapr Set or Delete, alone or inside a transaction. */
public sealed interface StateOp {

  String key();

  Precondition precondition();

  /**
   * Stores a value.
   *
   * @param contentType the value's content type, or null
   * @param ttl how long the value lives; empty for ever
   */
  record Put(
      String key,
      byte[] value,
      String contentType,
      Optional<Duration> ttl,
      Precondition precondition)
      implements StateOp {
    public Put {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(ttl, "ttl");
      Objects.requireNonNull(precondition, "precondition");
      value = value == null ? new byte[0] : value;
    }
  }

  /** Removes a key; removing a missing key without an ETag succeeds. */
  record Remove(String key, Precondition precondition) implements StateOp {
    public Remove {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(precondition, "precondition");
    }
  }
}
