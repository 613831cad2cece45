package dev.mqttsidecar.bench.jmh;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.InMemoryRetainedPersistence;
import dev.mqttsidecar.broker.retained.RetainedService;
import dev.mqttsidecar.broker.subscription.TopicFilter;
import dev.mqttsidecar.broker.subscription.TopicRules;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The retained messages a new subscription receives: 100,000 retained topics {@code
 * site/S/device/D/metric-M} (S, D < 100, M < 10), looked up with an exact filter (1 result), a
 * {@code +} on the device (100), a {@code #} under a site (1,000) and a leading {@code +} (100),
 * which no literal prefix narrows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RetainedLookupBenchmark {

  @Param({
    "site/42/device/17/metric-3",
    "site/42/device/+/metric-3",
    "site/42/#",
    "+/42/device/17/metric-3"
  })
  String filter;

  private RetainedService retained;
  private TopicFilter parsed;

  @Setup(Level.Trial)
  public void setUp() {
    retained =
        new RetainedService(
            new InMemoryRetainedPersistence(),
            TopicRules.SPEC,
            1 << 20,
            Clock.systemUTC(),
            m -> CompletableFuture.completedFuture(0));
    byte[] payload = new byte[64];
    for (int i = 0; i < TopicMatchBenchmark.SUBSCRIPTIONS; i++) {
      String topic =
          "site/" + (i % 100) + "/device/" + ((i / 100) % 100) + "/metric-" + (i / 10_000);
      retained.publishRetained(
          Message.of(topic, payload, Qos.AT_MOST_ONCE, true),
          () -> CompletableFuture.completedFuture(0));
    }
    parsed = TopicRules.SPEC.parseFilter(filter);
  }

  @Benchmark
  public int matching() {
    return retained.matching(parsed).size();
  }
}
