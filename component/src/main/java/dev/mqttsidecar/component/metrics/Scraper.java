package dev.mqttsidecar.component.metrics;

import dev.mqttsidecar.broker.concurrent.DaemonThreads;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
  private final List<SnapshotBinder> snapshots = new CopyOnWriteArrayList<>();
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(DaemonThreads.named("metrics-scrape"));
  private int lastSize; // confined to the scrape thread

  Scraper(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  void add(SnapshotBinder binder) {
    snapshots.add(binder);
  }

  /**
   * The registry as UTF-8 text of the given content type, after every snapshot was taken afresh.
   */
  CompletionStage<byte[]> scrape(String contentType) {
    return CompletableFuture.supplyAsync(
        () -> {
          for (SnapshotBinder binder : snapshots) {
            binder.takeSnapshot(registry);
          }
          // Straight into bytes, sized as the last answer: no String of the text in between.
          ByteArrayOutputStream text = new ByteArrayOutputStream(lastSize + 1024);
          try {
            registry.scrape(text, contentType);
          } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by an in-memory stream
          }
          lastSize = text.size();
          return text.toByteArray();
        },
        thread);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
