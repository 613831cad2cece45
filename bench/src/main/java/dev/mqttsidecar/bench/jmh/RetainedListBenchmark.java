package dev.mqttsidecar.bench.jmh;

import dev.mqttsidecar.broker.retained.RetainedService;
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
 * The state store's prefix listing ({@code RetainedStore.list}, in topic order) out of the
 * 1,000,000 retained messages of a {@link RetainedFleet}: one device (10 results), one site
 * (10,000), and a prefix that ends inside a level, {@code site/1} (sites 1 and 10-19, 110,000).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RetainedListBenchmark {

  @Param({"site/17/device/42/", "site/17/", "site/1"})
  String prefix;

  private RetainedService retained;

  @Setup(Level.Trial)
  public void setUp() {
    retained = RetainedFleet.retained();
  }

  @Benchmark
  public int list() {
    return retained.list(prefix).size();
  }
}
