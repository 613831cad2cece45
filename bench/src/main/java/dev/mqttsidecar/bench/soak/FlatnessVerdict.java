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
 *   <li>threads and open descriptors: the second half's maximum exceeds the first half's by at most
 *       4 threads or 16 descriptors (connections of the churning sessions come and go);
 *   <li>store size: the second half's maximum is at most 1.5 times the first half's plus 16 MiB
 *       (the store's log and compactions make it a saw tooth, but not a ramp);
 * </ul>
 *
 * and no acknowledged QoS 1/2, Dapr or state message was lost, and no call or connection failed.
 */
final class FlatnessVerdict {
  static final double GROWTH_PER_10_MIN = 0.05;
  static final long HEAP_FLOOR_KIB = 2 * 1024;
  static final long RSS_FLOOR_KIB = 8 * 1024;
  static final long THREAD_SLACK = 4;
  static final long FD_SLACK = 16;
  static final double STORE_FACTOR = 1.5;
  static final long STORE_SLACK_BYTES = 16L << 20;
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
      checks.add(halves("threads", s, x -> x.resources().threads(), 1, THREAD_SLACK, ""));
      checks.add(halves("open fds", s, x -> x.resources().fds(), 1, FD_SLACK, ""));
      checks.add(
          halves(
              "store size",
              s,
              x -> x.resources().storeBytes() / 1048576.0,
              STORE_FACTOR,
              STORE_SLACK_BYTES >> 20,
              " MiB"));
    }
    checks.add(
        new Check(
            "lost messages", "0 (acknowledged, never received)", Long.toString(lost), lost == 0));
    checks.add(new Check("errors", "0", Long.toString(errors), errors == 0));
    return new Verdict(checks, checks.stream().allMatch(Check::passed));
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

  private static Check halves(
      String what,
      List<Sample> s,
      ToDoubleFunction<Sample> value,
      double factor,
      double slack,
      String unit) {
    int mid = s.size() / 2;
    double first = s.subList(0, mid).stream().mapToDouble(value).max().orElse(0);
    double second = s.subList(mid, s.size()).stream().mapToDouble(value).max().orElse(0);
    double allowed = first * factor + slack;
    boolean valid = s.stream().allMatch(x -> value.applyAsDouble(x) >= 0);
    String rule =
        factor == 1
            ? String.format(Locale.ROOT, "2nd half max <= 1st half max + %.0f%s", slack, unit)
            : String.format(
                Locale.ROOT, "2nd half max <= %.1f x 1st half max + %.0f%s", factor, slack, unit);
    return new Check(
        what,
        rule,
        String.format(
            Locale.ROOT,
            "max %.1f%s, then %.1f%s (allowed %.1f%s)",
            first,
            unit,
            second,
            unit,
            allowed,
            unit),
        valid && second <= allowed);
  }
}
