package dev.mqttsidecar.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Whether the sidecar stayed flat. Samples of the warm-up (the first 20%, at least two) are left
 * out; on the rest:
 *
 * <ul>
 *   <li>heap after GC and RSS: the least-squares line's growth over the window is at most 5% of the
 *       series' mean per 10 minutes, or a floor for the noise of a short run (2 MiB heap, 8 MiB
 *       RSS), whichever is larger;
 *   <li>threads and open descriptors: the median of the last quarter exceeds the median of the
 *       first half by at most 2 threads or 8 descriptors (medians, since connections of the
 *       churning sessions come and go);
 *   <li>store size: the maximum of the last quarter is at most 1.25 times the maximum of the first
 *       half plus 8 MiB (the store's log and compactions make it a saw tooth, but not a ramp);
 * </ul>
 *
 * and no acknowledged QoS 1/2, Dapr or state message was lost, and no call or connection failed.
 */
final class FlatnessVerdict {
  static final double GROWTH_PER_10_MIN = 0.05;
  static final long HEAP_FLOOR_KIB = 2 * 1024;
  static final long RSS_FLOOR_KIB = 8 * 1024;
  static final long THREAD_SLACK = 2;
  static final long FD_SLACK = 8;
  static final double STORE_FACTOR = 1.25;
  static final long STORE_SLACK_BYTES = 8L << 20;
  static final int MIN_SAMPLES = 4;

  /** One line of the verdict. */
  record Check(String what, String rule, String measured, boolean passed) {}

  record Verdict(List<Check> checks, boolean passed) {}

  private FlatnessVerdict() {}

  /** Samples after the warm-up. */
  static List<Sample> afterWarmUp(List<Sample> samples) {
    int skip = Math.max(2, (int) Math.ceil(samples.size() * 0.2));
    return samples.subList(Math.min(skip, samples.size()), samples.size());
  }

  static Verdict judge(List<Sample> samples, long lost, long errors) {
    List<Check> checks = new ArrayList<>(series(samples));
    checks.add(
        new Check(
            "lost messages", "0 (acknowledged, never received)", Long.toString(lost), lost == 0));
    checks.add(new Check("errors", "0", Long.toString(errors), errors == 0));
    return new Verdict(checks, checks.stream().allMatch(Check::passed));
  }

  /** The checks of the sampled series alone. */
  static List<Check> series(List<Sample> samples) {
    List<Sample> s = afterWarmUp(samples);
    List<Check> checks = new ArrayList<>();
    if (s.size() < MIN_SAMPLES) {
      checks.add(
          new Check(
              "samples",
              "at least " + MIN_SAMPLES + " after the warm-up",
              Integer.toString(s.size()),
              false));
    } else {
      checks.add(slope("heap after GC", s, x -> x.resources().heapKib(), HEAP_FLOOR_KIB));
      checks.add(slope("RSS", s, x -> x.resources().rssKib(), RSS_FLOOR_KIB));
      checks.add(
          lateVersusEarly("threads", s, x -> x.resources().threads(), true, 1, THREAD_SLACK));
      checks.add(lateVersusEarly("open fds", s, x -> x.resources().fds(), true, 1, FD_SLACK));
      checks.add(
          lateVersusEarly(
              "store size (MiB)",
              s,
              x -> x.resources().storeBytes() / 1048576.0,
              false,
              STORE_FACTOR,
              STORE_SLACK_BYTES >> 20));
    }
    return checks;
  }

  private static Check slope(
      String what, List<Sample> s, ToDoubleFunction<Sample> value, long floorKib) {
    int n = s.size();
    double mx = 0;
    double my = 0;
    for (Sample x : s) {
      mx += x.elapsedSeconds() / n;
      my += value.applyAsDouble(x) / n;
    }
    double sxy = 0;
    double sxx = 0;
    for (Sample x : s) {
      double dx = x.elapsedSeconds() - mx;
      sxy += dx * (value.applyAsDouble(x) - my);
      sxx += dx * dx;
    }
    double perSecond = sxx == 0 ? 0 : sxy / sxx;
    double span = s.get(n - 1).elapsedSeconds() - s.get(0).elapsedSeconds();
    double growthKib = perSecond * span;
    double allowedKib = Math.max(my * GROWTH_PER_10_MIN * span / 600, floorKib);
    boolean valid = s.stream().allMatch(x -> value.applyAsDouble(x) >= 0);
    return new Check(
        what,
        String.format(
            Locale.ROOT,
            "fitted growth <= 5%% of the mean per 10 min or %d MiB: %.1f MiB here",
            floorKib / 1024,
            allowedKib / 1024),
        String.format(
            Locale.ROOT,
            "%+.2f MiB over %.0f min (%+.2f%% per 10 min), mean %.1f MiB",
            growthKib / 1024,
            span / 60,
            my == 0 ? 0 : 100 * perSecond * 600 / my,
            my / 1024),
        valid && growthKib <= allowedKib);
  }

  /**
   * Compares the last quarter of the window with its first half: their medians, or their maxima,
   * the later one at most {@code factor} times the earlier plus {@code slack}.
   */
  private static Check lateVersusEarly(
      String what,
      List<Sample> s,
      ToDoubleFunction<Sample> value,
      boolean median,
      double factor,
      double slack) {
    double early = summary(s.subList(0, s.size() / 2), value, median);
    double late = summary(s.subList(s.size() - Math.max(1, s.size() / 4), s.size()), value, median);
    double allowed = early * factor + slack;
    boolean valid = s.stream().allMatch(x -> value.applyAsDouble(x) >= 0);
    String of = median ? "median" : "max";
    String rule =
        String.format(
            Locale.ROOT,
            "last quarter's %s <= %sfirst half's %s + %.0f",
            of,
            factor == 1 ? "" : String.format(Locale.ROOT, "%.2f x ", factor),
            of,
            slack);
    return new Check(
        what,
        rule,
        String.format(Locale.ROOT, "%.1f, then %.1f (allowed %.1f)", early, late, allowed),
        valid && late <= allowed);
  }

  private static double summary(List<Sample> s, ToDoubleFunction<Sample> value, boolean median) {
    double[] v = s.stream().mapToDouble(value).sorted().toArray();
    if (v.length == 0) {
      return 0;
    }
    return median ? (v[(v.length - 1) / 2] + v[v.length / 2]) / 2 : v[v.length - 1];
  }
}
