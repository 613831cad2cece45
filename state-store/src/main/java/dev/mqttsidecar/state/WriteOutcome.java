package dev.mqttsidecar.state;

import java.util.List;

/** The result of applying state operations. */
public sealed interface WriteOutcome {

  /** Everything was applied; {@code etags} has one entry per operation (empty for a Remove). */
  record Applied(List<String> etags) implements WriteOutcome {
    public Applied {
      etags = List.copyOf(etags);
    }
  }

  /** Nothing was applied (for a single atomic write) because of {@code error}. */
  record Failed(StateError error) implements WriteOutcome {}
}
