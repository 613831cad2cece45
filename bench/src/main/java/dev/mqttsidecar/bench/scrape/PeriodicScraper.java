package dev.mqttsidecar.bench.scrape;

import dev.mqttsidecar.broker.concurrent.DaemonThreads;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads a Prometheus endpoint once a second while switched on, over one kept-alive HTTP/1.1
 * connection, as a Prometheus server does.
 */
final class PeriodicScraper implements AutoCloseable {
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final HttpRequest request;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("scraper"));
  private final AtomicLong scrapes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean on;

  PeriodicScraper(URI url) {
    request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
    timer.scheduleAtFixedRate(this::scrapeIfOn, 0, 1, TimeUnit.SECONDS);
  }

  void switchTo(boolean scraping) {
    on = scraping;
  }

  /** Successful scrapes so far. */
  long scrapes() {
    return scrapes.get();
  }

  /** Scrapes that failed or did not answer 200 so far. */
  long failures() {
    return failures.get();
  }

  private void scrapeIfOn() {
    if (!on) {
      return;
    }
    try {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      (response.statusCode() == 200 ? scrapes : failures).incrementAndGet();
    } catch (IOException e) {
      failures.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
