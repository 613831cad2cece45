package dev.mqttsidecar.component.metrics;

import dev.mqttsidecar.broker.StorageObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The durable store's disk writes and fsyncs as latency histograms. */
final class StorageTimers implements StorageObserver {
  private final Timer writes;
  private final Timer writesSynced;
  private final Timer syncs;
  private final DistributionSummary groupSize;

  StorageTimers(MeterRegistry registry) {
    writes = writeTimer(registry, "false");
    writesSynced = writeTimer(registry, "true");
    syncs =
        histogram(Timer.builder("storage.fsync"))
            .description("periodic fsyncs of the write-ahead log (durability periodic)")
            .register(registry);
    groupSize =
        DistributionSummary.builder("storage.write.batch")
            .description("writes merged into one disk write")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 64, 256, 1024, 4096)
            .register(registry);
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
    (synced ? writesSynced : this.writes).record(nanos, TimeUnit.NANOSECONDS);
    groupSize.record(writes);
  }

  @Override
  public void synced(long nanos) {
    syncs.record(nanos, TimeUnit.NANOSECONDS);
  }
}
