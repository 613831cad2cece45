package dev.mqttsidecar.broker;

import java.util.Objects;

/** An MQTT 5 user property: a UTF-8 string pair; order and duplicates are significant. */
public record UserProperty(String name, String value) {
  public UserProperty {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
