package dev.mqttsidecar.component.remote;

import dev.mqttsidecar.dapr.InvalidMetadataException;
import java.util.Locale;
import java.util.Map;

/** The {@code stateService} metadata key of a remote state store: whether it needs the service. */
enum StateServiceMode {
  /** Probe; without an answer fall back to last-write-wins on retained topics. */
  AUTO,
  /** Probe; without an answer fail Init. */
  REQUIRED,
  /** Last-write-wins on retained topics without probing. */
  OFF;

  static final String KEY = "stateService";

  /**
   * @throws InvalidMetadataException for a value other than auto, required or off
   */
  static StateServiceMode parse(Map<String, String> metadata) {
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (e.getKey().equalsIgnoreCase(KEY) && e.getValue() != null && !e.getValue().isBlank()) {
        return switch (e.getValue().trim().toLowerCase(Locale.ROOT)) {
          case "auto" -> AUTO;
          case "required" -> REQUIRED;
          case "off" -> OFF;
          default ->
              throw new InvalidMetadataException(
                  KEY, "must be auto, required or off, was '" + e.getValue() + "'");
        };
      }
    }
    return AUTO;
  }
}
