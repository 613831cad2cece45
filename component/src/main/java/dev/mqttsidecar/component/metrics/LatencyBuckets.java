package dev.mqttsidecar.component.metrics;

import java.time.Duration;

/**
 * The histogram buckets of every latency meter, fixed so that the series stay few and the same
 * dashboards read them all: from 50 µs (no disk write or Dapr call is faster) to 5 s.
 */
final class LatencyBuckets {
  static final Duration[] BOUNDS = {
    Duration.ofNanos(50_000),
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5)
  };

  private LatencyBuckets() {}
}
