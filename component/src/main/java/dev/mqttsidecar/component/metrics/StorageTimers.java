package dev.mqttsidecar.component.metrics;

import dev.mqttsidecar.broker.StorageObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The durable store's disk writes and fsyncs as latency histograms. Each is registered at its first
 * sample: a durability mode that never writes, or never fsyncs on its own, then adds none of their
 * bucket series to a scrape.
 */
final class StorageTimers implements StorageObserver {
  private final OnFirstUse<Timer> writes;
  private final OnFirstUse<Timer> writesSynced;
  private final OnFirstUse<Timer> syncs;
  private final OnFirstUse<DistributionSummary> groupSize;

  StorageTimers(MeterRegistry registry) {
    writes = new OnFirstUse<>(() -> writeTimer(registry, "false"));
    writesSynced = new OnFirstUse<>(() -> writeTimer(registry, "true"));
    syncs =
        new OnFirstUse<>(
            () ->
                histogram(Timer.builder("storage.fsync"))
                    .description("periodic fsyncs of the write-ahead log (durability periodic)")
                    .register(registry));
    groupSize =
        new OnFirstUse<>(
            () ->
                DistributionSummary.builder("storage.write.batch")
                    .description("writes merged into one disk write")
                    .serviceLevelObjectives(1, 2, 4, 8, 16, 64, 256, 1024, 4096)
                    .register(registry));
  }

  private static Timer writeTimer(MeterRegistry registry, String synced) {
    return histogram(Timer.builder("storage.write"))
        .description("merged disk writes of the durable store; synced=true includes the fsync")
        .tag("synced", synced)
        .register(registry);
  }

  private static Timer.Builder histogram(Timer.Builder builder) {
    return builder.serviceLevelObjectives(LatencyBuckets.BOUNDS);
  }

  @Override
  public void written(int writes, long nanos, boolean synced) {
    (synced ? writesSynced : this.writes).get().record(nanos, TimeUnit.NANOSECONDS);
    groupSize.get().record(writes);
  }

  @Override
  public void synced(long nanos) {
    syncs.get().record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A meter registered when first asked for. Two threads asking at once both register, and the
   * registry hands both the same meter.
   */
  private static final class OnFirstUse<M> {
    private final Supplier<M> register;
    private volatile M meter;

    OnFirstUse(Supplier<M> register) {
      this.register = register;
    }

    M get() {
      M m = meter;
      if (m == null) {
        m = register.get();
        meter = m;
      }
      return m;
    }
  }
}
