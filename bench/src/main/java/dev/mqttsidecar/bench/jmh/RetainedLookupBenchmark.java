package dev.mqttsidecar.bench.jmh;

import dev.mqttsidecar.broker.retained.RetainedService;
import dev.mqttsidecar.broker.subscription.TopicFilter;
import dev.mqttsidecar.broker.subscription.TopicRules;
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
 * The retained messages a new subscription receives out of the 1,000,000 of a {@link
 * RetainedFleet}: an exact filter (1 result), a leading {@code +} (1,000), a wide filter whose
 * literal prefix {@code site/} narrows nothing (1,000), {@code +} under a site (1,000), {@code #}
 * under a device (10) and {@code #} alone (1,000,000).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RetainedLookupBenchmark {

  @Param({
    "site/17/device/42/temp",
    "+/17/device/+/temp",
    "site/+/device/42/+",
    "site/17/device/+/temp",
    "site/17/device/42/#",
    "#"
  })
  String filter;

  private RetainedService retained;
  private TopicFilter parsed;

  @Setup(Level.Trial)
  public void setUp() {
    retained = RetainedFleet.retained();
    parsed = TopicRules.SPEC.parseFilter(filter);
  }

  @Benchmark
  public int matching() {
    return retained.matching(parsed).size();
  }
}
