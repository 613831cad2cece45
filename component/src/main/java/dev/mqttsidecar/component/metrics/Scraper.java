package dev.mqttsidecar.component.metrics;

import dev.mqttsidecar.broker.concurrent.DaemonThreads;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Renders the registry, one scrape at a time, on a thread of its own: the snapshots are taken and
 * the text written together, so two scrapers never interleave. (Not the common pool: on a machine
 * with fewer than three cores {@link CompletableFuture#supplyAsync(java.util.function.Supplier)}
 * starts a new thread per call.)
 */
final class Scraper implements AutoCloseable {
  private final PrometheusMeterRegistry registry;
  private final PrometheusText text;
  private final List<SnapshotBinder> snapshots = new CopyOnWriteArrayList<>();
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(DaemonThreads.named("metrics-scrape"));

  Scraper(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.text = new PrometheusText(registry);
  }

  void add(SnapshotBinder binder) {
    snapshots.add(binder);
  }

  /**
   * The registry as UTF-8 text of the given content type, after every snapshot was taken afresh:
   * the Prometheus text format written directly, OpenMetrics by Micrometer.
   */
  CompletionStage<byte[]> scrape(String contentType) {
    return CompletableFuture.supplyAsync(
        () -> {
          for (SnapshotBinder binder : snapshots) {
            binder.takeSnapshot(registry);
          }
          return TextFormat.CONTENT_TYPE.equals(contentType)
              ? text.render()
              : registry.scrape(contentType).getBytes(StandardCharsets.UTF_8);
        },
        thread);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
