package dev.mqttsidecar.component.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ThreadMetersTest {
  @Test
  void theSameMetersAsMicrometersBinder() {
    MeterRegistry micrometer = new SimpleMeterRegistry();
    new JvmThreadMetrics().bindTo(micrometer);
    MeterRegistry ours = new SimpleMeterRegistry();
    new ThreadMeters().bindTo(ours);

    assertThat(describe(ours)).isEqualTo(describe(micrometer));
  }

  @Test
  void countsThreadsByStateFromOneSnapshot() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    ThreadMeters meters = new ThreadMeters();
    meters.bindTo(registry);
    Object monitor = new Object();
    CountDownLatch release = new CountDownLatch(1);
    Thread blocked =
        new Thread(
            () -> {
              synchronized (monitor) {
                // entered only after the test lets go of the monitor
              }
            });
    Thread waiting = new Thread(() -> awaitQuietly(release));
    double live;
    try {
      synchronized (monitor) {
        blocked.start();
        waiting.start();
        Awaitility.await()
            .atMost(10, TimeUnit.SECONDS)
            .until(
                () ->
                    blocked.getState() == Thread.State.BLOCKED
                        && waiting.getState() == Thread.State.WAITING);
        meters.takeSnapshot(registry);
        // read at once: threads that end later (ours, Awaitility's poller) must not count
        live = registry.get("jvm.threads.live").gauge().value();
      }
    } finally {
      release.countDown();
      blocked.join(10_000);
      waiting.join(10_000);
    }

    assertThat(state(registry, "blocked")).isGreaterThanOrEqualTo(1);
    assertThat(state(registry, "waiting")).isGreaterThanOrEqualTo(2); // ours, and the JVM's own
    assertThat(state(registry, "runnable")).isGreaterThanOrEqualTo(1); // this thread
    double all =
        registry.find("jvm.threads.states").gauges().stream().mapToDouble(Gauge::value).sum();
    assertThat(all).isCloseTo(live, org.assertj.core.data.Offset.offset(3.0));
  }

  private static double state(MeterRegistry registry, String state) {
    return registry.get("jvm.threads.states").tag("state", state).gauge().value();
  }

  private static Set<String> describe(MeterRegistry registry) {
    return registry.getMeters().stream()
        .map(Meter::getId)
        .map(
            id ->
                id.getType()
                    + " "
                    + id.getName()
                    + id.getTags()
                    + " "
                    + id.getBaseUnit()
                    + " "
                    + id.getDescription())
        .collect(Collectors.toSet());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
