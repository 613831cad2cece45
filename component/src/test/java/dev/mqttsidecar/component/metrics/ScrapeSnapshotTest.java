package dev.mqttsidecar.component.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.BrokerStatistics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What one scrape reads: each source once, every series of the scrape from that one read, and no
 * series for what never happened.
 */
class ScrapeSnapshotTest {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Scraper scraper = new Scraper(registry);

  @AfterEach
  void close() {
    scraper.close();
    registry.close();
  }

  private String scrape() throws Exception {
    return new String(
        scraper.scrape(PROMETHEUS_TEXT).toCompletableFuture().get(10, TimeUnit.SECONDS),
        StandardCharsets.UTF_8);
  }

  /**
   * Statistics whose refusals by reason grow with every read: the n-th read reports n refusals for
   * every reason but {@code quota_exceeded}, which stays at zero.
   */
  private static BrokerStatistics statisticsCountingReads(AtomicInteger reads) {
    return (BrokerStatistics)
        Proxy.newProxyInstance(
            BrokerStatistics.class.getClassLoader(),
            new Class<?>[] {BrokerStatistics.class},
            (proxy, method, args) -> {
              if (method.getName().equals("connectsRefused")) {
                long n = reads.incrementAndGet();
                Map<String, Long> refused = new LinkedHashMap<>();
                refused.put("not_authorized", n);
                refused.put("bad_user_name_or_password", n);
                refused.put("client_identifier_not_valid", n);
                refused.put("quota_exceeded", 0L);
                return refused;
              }
              return method.getReturnType() == long.class ? 0L : null;
            });
  }

  @Test
  void refusalsAreReadOncePerScrapeAndAgreeWithinIt() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    BrokerMeters meters = new BrokerMeters(statisticsCountingReads(reads));
    meters.bindTo(registry);
    scraper.add(meters);
    int before = reads.get();

    String text = scrape();

    assertThat(reads.get()).isEqualTo(before + 1);
    String n = (before + 1) + ".0";
    assertThat(text)
        .contains("mqtt_connections_refused_total{reason=\"not_authorized\"} " + n)
        .contains("mqtt_connections_refused_total{reason=\"bad_user_name_or_password\"} " + n)
        .contains("mqtt_connections_refused_total{reason=\"client_identifier_not_valid\"} " + n)
        .doesNotContain("reason=\"quota_exceeded\"")
        .doesNotContain("reason=\"max_connections\"");
    scrape();
    assertThat(reads.get()).isEqualTo(before + 2);
  }

  @Test
  void storageHistogramsAppearWithTheFirstWrite() throws Exception {
    StorageTimers storage = new StorageTimers(registry);
    assertThat(scrape()).doesNotContain("storage_");

    storage.written(3, 200_000, false);

    assertThat(scrape())
        .contains("storage_write_seconds_count{synced=\"false\"} 1")
        .contains("storage_write_batch_count 1")
        .doesNotContain("synced=\"true\"")
        .doesNotContain("storage_fsync");
  }
}
