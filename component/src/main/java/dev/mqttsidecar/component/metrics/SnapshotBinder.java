package dev.mqttsidecar.component.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters that read a snapshot taken once at the start of each scrape rather than asking their
 * source once per series: a scrape then costs one read of the source, and the series of one scrape
 * agree with each other.
 */
interface SnapshotBinder extends MeterBinder {
  /**
   * Reads the source once for the scrape about to run. Called on the scrape thread only, before the
   * registry is read; may register series that appeared since the last scrape.
   */
  void takeSnapshot(MeterRegistry registry);
}
