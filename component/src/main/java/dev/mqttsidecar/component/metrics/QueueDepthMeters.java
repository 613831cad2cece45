package dev.mqttsidecar.component.metrics;

import dev.mqttsidecar.broker.BrokerInspector;
import dev.mqttsidecar.broker.BrokerInspector.QueueDepths;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Messages waiting in session queues and in flight. Reading them walks the sessions, so one walk
 * serves both gauges of a scrape (it is reused for a second).
 */
final class QueueDepthMeters implements MeterBinder {
  private static final long REUSE_NANOS = 1_000_000_000L;

  private final BrokerInspector inspector;
  private QueueDepths last = new QueueDepths(0, 0);
  private long lastRead = System.nanoTime() - REUSE_NANOS;

  QueueDepthMeters(BrokerInspector inspector) {
    this.inspector = inspector;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("mqtt.queued.messages", this, m -> m.depths().queued())
        .description("messages waiting in session queues")
        .register(registry);
    Gauge.builder("mqtt.inflight.messages", this, m -> m.depths().inflight())
        .description("QoS 1/2 messages sent to sessions and not yet acknowledged")
        .register(registry);
  }

  private synchronized QueueDepths depths() {
    if (System.nanoTime() - lastRead >= REUSE_NANOS) {
      last = inspector.queueDepths();
      lastRead = System.nanoTime();
    }
    return last;
  }
}
