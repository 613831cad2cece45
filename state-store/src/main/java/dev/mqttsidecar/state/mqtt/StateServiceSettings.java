package dev.mqttsidecar.state.mqtt;

import java.util.Set;

/**
 * How the state service over MQTT answers.
 *
 * @param enabled whether the broker answers requests on {@code $state/v1/#} at all
 * @param stores the store names it serves; empty serves any name
 * @param maxRequestBytes the largest request payload read; a bigger one is refused
 * @param maxInFlightPerResponseTopic how many requests of one response topic (one client) may be
 *     unanswered at once; more are refused with RESOURCE_EXHAUSTED
 */
public record StateServiceSettings(
    boolean enabled, Set<String> stores, int maxRequestBytes, int maxInFlightPerResponseTopic) {

  public static final StateServiceSettings DEFAULTS =
      new StateServiceSettings(true, Set.of(), 16 * 1024 * 1024, 256);

  public StateServiceSettings {
    stores = Set.copyOf(stores);
    if (maxRequestBytes < 1 || maxInFlightPerResponseTopic < 1) {
      throw new IllegalArgumentException("state service limits must be positive");
    }
  }

  boolean serves(String store) {
    return stores.isEmpty() || stores.contains(store);
  }
}
