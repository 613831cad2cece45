package dev.mqttsidecar.component.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProcessorMetersTest {
  private static TextExposition scrape(PrometheusMeterRegistry registry) {
    return TextExposition.parse(
        new String(new PrometheusText(registry).render(), StandardCharsets.UTF_8));
  }

  @Test
  void theSeriesAreMicrometersProcessorMetrics() {
    PrometheusMeterRegistry micrometers = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PrometheusMeterRegistry ours = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ProcessorMetrics().bindTo(micrometers);
    new ProcessorMeters().bindTo(ours);

    TextExposition theirs = scrape(micrometers);
    TextExposition mine = scrape(ours);
    assertThat(mine.types).isEqualTo(theirs.types);
    assertThat(mine.helps).isEqualTo(theirs.helps);
    assertThat(mine.samples.keySet()).isEqualTo(theirs.samples.keySet());
    assertThat(mine.samples.get("system_cpu_count"))
        .isEqualTo((double) Runtime.getRuntime().availableProcessors());
    micrometers.close();
    ours.close();
  }
}
