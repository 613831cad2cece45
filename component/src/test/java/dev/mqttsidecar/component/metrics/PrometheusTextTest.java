package dev.mqttsidecar.component.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The text written from the meters is the text Micrometer's Prometheus registry writes for them:
 * both read back by a strict parser of the format, with the same families, types, help, samples,
 * labels and values.
 */
class PrometheusTextTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final PrometheusText text = new PrometheusText(registry);

  @AfterEach
  void close() {
    registry.close();
  }

  private TextExposition written() {
    return TextExposition.parse(new String(text.render(), StandardCharsets.UTF_8));
  }

  private TextExposition micrometers() {
    return TextExposition.parse(registry.scrape(TextFormat.CONTENT_TYPE));
  }

  @Test
  void everyMeterTypeIsWrittenAsMicrometerWritesIt() {
    AtomicLong source = new AtomicLong(1_733_000_000_123L);
    Counter.builder("mqtt.messages.received")
        .description("PUBLISH \"packets\" \\ received\nfrom clients")
        .tag("qos", "1")
        .register(registry)
        .increment(3);
    Counter.builder("mqtt.messages.received").tag("qos", "0").register(registry).increment(0.5);
    Counter.builder("already.total").register(registry).increment();
    FunctionCounter.builder("mqtt.payload.received", source, AtomicLong::get)
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("endpoint.connected", () -> 1)
        .tag("endpoint", "quote\" back\\slash new\nline ünïcödé")
        .register(registry);
    Gauge.builder("nothing.yet", () -> Double.NaN).register(registry);
    TimeGauge.builder("process.start.time", source, TimeUnit.MILLISECONDS, AtomicLong::get)
        .register(registry);
    Timer histogram =
        Timer.builder("dapr.calls")
            .tags("method", "/dapr.proto.components.v1.StateStore/Get", "status", "OK")
            .serviceLevelObjectives(LatencyBuckets.BOUNDS)
            .register(registry);
    histogram.record(Duration.ofNanos(70_000));
    histogram.record(Duration.ofMillis(3));
    histogram.record(Duration.ofSeconds(9));
    Timer.builder("jvm.gc.pause").tag("gc", "G1").register(registry).record(Duration.ofMillis(7));
    DistributionSummary batch =
        DistributionSummary.builder("storage.write.batch")
            .serviceLevelObjectives(1, 2, 4, 8)
            .register(registry);
    batch.record(3);
    batch.record(100);
    DistributionSummary.builder("packet.size").baseUnit("bytes").register(registry).record(42);
    FunctionTimer.builder("queue.wait", source, s -> 4, s -> 12.5, TimeUnit.MILLISECONDS)
        .register(registry);
    LongTaskTimer.builder("pull.streams").register(registry);

    TextExposition ours = written();
    TextExposition theirs = micrometers();

    assertThat(ours.types).isEqualTo(theirs.types);
    assertThat(ours.helps).isEqualTo(theirs.helps);
    assertThat(ours.samples).isEqualTo(theirs.samples);
    assertThat(ours.samples)
        .containsEntry(
            "dapr_calls_seconds_bucket{le=\"+Inf\","
                + "method=\"/dapr.proto.components.v1.StateStore/Get\",status=\"OK\"}",
            3.0)
        .containsEntry(
            "endpoint_connected{endpoint=\"quote\\\" back\\\\slash new\\nline" + " ünïcödé\"}",
            1.0);
  }

  @Test
  void theSidecarsJvmAndProcessMetersHaveTheSameSeries() {
    try (JvmGcMetrics gc = new JvmGcMetrics()) {
      new JvmMemoryMetrics().bindTo(registry);
      gc.bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ClassLoaderMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      new FileDescriptorMetrics().bindTo(registry);
      System.gc(); // a GC pause, so that the pause timer has a series

      // The GC meter adds series as pauses are reported, at any time: compare two readings of
      // ours around Micrometer's that saw the same meters.
      TextExposition ours;
      TextExposition theirs;
      TextExposition oursAgain;
      int attempts = 0;
      do {
        ours = written();
        theirs = micrometers();
        oursAgain = written();
      } while (!ours.samples.keySet().equals(oursAgain.samples.keySet()) && ++attempts < 10);

      assertThat(ours.types).isEqualTo(theirs.types);
      assertThat(ours.helps).isEqualTo(theirs.helps);
      // Values move between the two readings (memory, CPU, uptime); the series must not.
      assertThat(ours.samples.keySet()).isEqualTo(theirs.samples.keySet());
    }
  }

  @Test
  void aMeterAddedAfterAScrapeIsInTheNext() {
    Counter.builder("first").register(registry).increment();
    assertThat(written().samples).containsOnlyKeys("first_total");

    Counter.builder("second").tag("reason", "late").register(registry).increment(2);
    Counter.builder("first").register(registry).increment();

    assertThat(written().samples)
        .containsEntry("first_total", 2.0)
        .containsEntry("second_total{reason=\"late\"}", 2.0)
        .isEqualTo(micrometers().samples);
  }

  @Test
  void theParserRefusesWhatTheFormatDoesNotAllow() {
    String header = "# HELP a_total  \n# TYPE a_total counter\n";
    for (String bad :
        new String[] {
          header + "a_total{x=\"unterminated} 1.0\n",
          header + "a_total{x=\"bad \\q escape\"} 1.0\n",
          header + "b_total 1.0\n",
          header + "a_total one\n",
          header + "a_total 1.0",
          "a_total 1.0\n"
        }) {
      assertThatThrownBy(() -> TextExposition.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
