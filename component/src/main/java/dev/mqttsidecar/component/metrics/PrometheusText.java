package dev.mqttsidecar.component.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/**
 * Writes a registry's meters in the Prometheus text format 0.0.4 straight from the meters, into a
 * buffer kept between scrapes. Micrometer's own rendering builds a snapshot object per sample and
 * formats every name and label afresh on each scrape; here names and labels are laid out once,
 * again only when a meter is added or removed, and a scrape reads the values. One scrape at a time:
 * the caller serializes them.
 */
final class PrometheusText {
  private final MeterRegistry registry;
  private final TextBuffer buffer = new TextBuffer();
  private volatile boolean stale = true;
  private List<MetricFamilies.Family> families = List.of();

  PrometheusText(MeterRegistry registry) {
    this.registry = registry;
    registry.config().onMeterAdded(meter -> stale = true);
    registry.config().onMeterRemoved(meter -> stale = true);
  }

  byte[] render() {
    if (stale) {
      // Cleared before reading the meters: one added meanwhile marks the layout stale again.
      stale = false;
      families = MetricFamilies.of(registry.getMeters(), registry.config().namingConvention());
    }
    buffer.reset();
    for (MetricFamilies.Family family : families) {
      family.write(buffer);
    }
    return buffer.toByteArray();
  }
}
