package dev.mqttsidecar.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The verdict on made-up hour-long series: flat ones pass, each kind of growth fails. */
class FlatnessVerdictTest {
  private static final long MIB = 1024;

  @Test
  void flatSeriesWithNoisePass() {
    FlatnessVerdict.Verdict v =
        FlatnessVerdict.judge(
            hour(m -> resources(12 * MIB + (m % 3) * 300, 150 * MIB + (m % 2) * 6 * MIB, 44, 62)),
            0,
            0);
    assertThat(v.passed()).as(v.toString()).isTrue();
  }

  @Test
  void heapGrowingTenPercentPerTenMinutesFails() {
    // 100 MiB growing by 10 MiB every 10 minutes: twice what is allowed
    FlatnessVerdict.Verdict v =
        FlatnessVerdict.judge(hour(m -> resources(100 * MIB + m * MIB, 150 * MIB, 44, 62)), 0, 0);
    assertThat(v.passed()).isFalse();
    assertThat(failed(v)).containsExactly("heap after GC");
  }

  @Test
  void aWarmUpRampIsNotGrowth() {
    // RSS climbs by 60 MiB in the first 10 minutes (JIT, buffers), then stays
    FlatnessVerdict.Verdict v =
        FlatnessVerdict.judge(
            hour(m -> resources(12 * MIB, (90 + Math.min(m, 10) * 6) * MIB, 44, 62)), 0, 0);
    assertThat(v.passed()).as(v.toString()).isTrue();
  }

  @Test
  void aThreadOrDescriptorLeakFails() {
    FlatnessVerdict.Verdict v =
        FlatnessVerdict.judge(
            hour(m -> resources(12 * MIB, 150 * MIB, 44 + m / 6, 62 + m / 2)), 0, 0);
    assertThat(failed(v)).containsExactly("threads", "open fds");
  }

  @Test
  void aGrowingStoreFails() {
    List<Sample> samples = new ArrayList<>();
    for (int m = 0; m <= 60; m++) {
      samples.add(sample(m, new ProcessProbe.Resources(12 * MIB, 150 * MIB, 44, 62, m << 21)));
    }
    assertThat(failed(FlatnessVerdict.judge(samples, 0, 0))).containsExactly("store size (MiB)");
  }

  @Test
  void aLostMessageOrAnErrorFailsAFlatRun() {
    List<Sample> flat = hour(m -> resources(12 * MIB, 150 * MIB, 44, 62));
    assertThat(failed(FlatnessVerdict.judge(flat, 1, 0))).containsExactly("lost messages");
    assertThat(failed(FlatnessVerdict.judge(flat, 0, 1))).containsExactly("errors");
  }

  @Test
  void tooFewSamplesAreNoVerdict() {
    List<Sample> three = hour(m -> resources(12 * MIB, 150 * MIB, 44, 62)).subList(0, 5);
    assertThat(failed(FlatnessVerdict.judge(three, 0, 0))).containsExactly("samples");
  }

  @Test
  void anUnreadableSeriesFails() {
    FlatnessVerdict.Verdict v =
        FlatnessVerdict.judge(
            hour(m -> resources(m == 30 ? -1 : 12 * MIB, 150 * MIB, 44, 62)), 0, 0);
    assertThat(failed(v)).containsExactly("heap after GC");
  }

  private static List<String> failed(FlatnessVerdict.Verdict v) {
    return v.checks().stream().filter(c -> !c.passed()).map(FlatnessVerdict.Check::what).toList();
  }

  /** One sample a minute for an hour. */
  private static List<Sample> hour(IntFunction<ProcessProbe.Resources> atMinute) {
    List<Sample> samples = new ArrayList<>();
    for (int m = 0; m <= 60; m++) {
      samples.add(sample(m, atMinute.apply(m)));
    }
    return samples;
  }

  private static ProcessProbe.Resources resources(
      long heapKib, long rssKib, long threads, long fds) {
    return new ProcessProbe.Resources(heapKib, rssKib, threads, fds, 20L << 20);
  }

  private static Sample sample(int minute, ProcessProbe.Resources r) {
    return new Sample(minute * 60.0, r, 0, 0, 0, 0, 0, 0, 0);
  }
}
