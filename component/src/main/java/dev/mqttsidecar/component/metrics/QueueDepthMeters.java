package dev.mqttsidecar.component.metrics;

import dev.mqttsidecar.broker.BrokerInspector;
import dev.mqttsidecar.broker.BrokerInspector.QueueDepths;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Messages waiting in session queues and in flight. Reading them walks the sessions, so one walk
 * serves both gauges of a scrape, and is reused for a second by scrapes that come sooner.
 */
final class QueueDepthMeters implements SnapshotBinder {
  private static final long REUSE_NANOS = 1_000_000_000L;

  private final BrokerInspector inspector;
  private volatile QueueDepths last = new QueueDepths(0, 0);
  private long lastRead = System.nanoTime() - REUSE_NANOS;

  QueueDepthMeters(BrokerInspector inspector) {
    this.inspector = inspector;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("mqtt.queued.messages", this, m -> m.last.queued())
        .description("messages waiting in session queues")
        .register(registry);
    Gauge.builder("mqtt.inflight.messages", this, m -> m.last.inflight())
        .description("QoS 1/2 messages sent to sessions and not yet acknowledged")
        .register(registry);
  }

  @Override
  public void takeSnapshot(MeterRegistry registry) {
    if (System.nanoTime() - lastRead >= REUSE_NANOS) {
      last = inspector.queueDepths();
      lastRead = System.nanoTime();
    }
  }
}
