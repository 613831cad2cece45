package dev.mqttsidecar.broker;

import java.util.Objects;

/**
 * A retained message and its version. Every retained write, from any ingress, gets a new version
 * greater than all before it; the state store exposes it as the ETag.
 */
public record RetainedMessage(Message message, long version) {
  public RetainedMessage {
    Objects.requireNonNull(message, "message");
    if (version < 1) {
      throw new IllegalArgumentException("versions start at 1, was " + version);
    }
  }
}
