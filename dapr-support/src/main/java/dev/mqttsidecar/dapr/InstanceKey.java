package dev.mqttsidecar.dapr;

import java.util.Objects;

/**
 * Which component instance a call is for: the daprd connection it arrived on and the Component
 * YAML's {@code metadata.name} daprd sent as {@code x-component-instance}. Several daprds (one per
 * app) may share one socket and one component name with different settings, such as their {@code
 * consumerID}, so the connection is part of the identity.
 *
 * @param connection an id of the daprd connection, unique for the life of the process
 * @param name the instance name ("" when the header is absent)
 */
public record InstanceKey(String connection, String name) {
  public InstanceKey {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(name, "name");
  }
}
