package dev.mqttsidecar.component.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Lays the meters out as the families Micrometer's Prometheus registry exposes for them (names,
 * types, suffixes and labels of {@code PrometheusMeterRegistry}), sorted by name: counters as
 * {@code _total}, timers and summaries as {@code _count}/{@code _sum} (a histogram with {@code
 * _bucket} when they have buckets) and a {@code _max} gauge, gauges as they are. Built when the set
 * of meters changes, not per scrape.
 */
final class MetricFamilies {
  private static final TimeUnit SECONDS = TimeUnit.SECONDS;

  /** A family's metadata lines and its series. */
  record Family(byte[] header, List<SampleSeries> series) {
    void write(TextBuffer out) {
      out.append(header);
      for (SampleSeries s : series) {
        s.write(out);
      }
    }
  }

  private final NamingConvention convention;
  private final Map<String, Family> families = new TreeMap<>();

  private MetricFamilies(NamingConvention convention) {
    this.convention = convention;
  }

  static List<Family> of(List<Meter> meters, NamingConvention convention) {
    MetricFamilies layout = new MetricFamilies(convention);
    for (Meter meter : meters) {
      layout.add(meter);
    }
    return List.copyOf(layout.families.values());
  }

  private void add(Meter meter) {
    String name = meter.getId().getConventionName(convention);
    List<Tag> labels = meter.getId().getConventionTags(convention);
    String help = meter.getId().getDescription();
    if (meter instanceof Counter c) {
      counter(name, labels, help, c::count);
    } else if (meter instanceof FunctionCounter c) {
      counter(name, labels, help, c::count);
    } else if (meter instanceof TimeGauge g) {
      gauge(name, labels, help, () -> g.value(SECONDS));
    } else if (meter instanceof Gauge g) {
      gauge(name, labels, help, g::value);
    } else if (meter instanceof Timer t) {
      distribution(
          name, labels, help, t::takeSnapshot, SECONDS, t::count, () -> t.totalTime(SECONDS));
      gauge(name + "_max", labels, help, () -> t.max(SECONDS));
    } else if (meter instanceof DistributionSummary d) {
      distribution(name, labels, help, d::takeSnapshot, null, d::count, d::totalAmount);
      gauge(name + "_max", labels, help, d::max);
    } else if (meter instanceof FunctionTimer t) {
      summary(name, labels, help, () -> (long) t.count(), () -> t.totalTime(SECONDS));
    } else if (meter instanceof LongTaskTimer t) {
      summary(name, labels, help, t::activeTasks, () -> t.duration(SECONDS));
      gauge(name + "_max", labels, help, () -> t.max(SECONDS));
    }
    // Other meter types are not used by the sidecar; the format test compares with Micrometer's
    // own output for every meter the sidecar registers, so one added later shows up there.
  }

  private void counter(String name, List<Tag> labels, String help, DoubleSupplier value) {
    String total = name.endsWith("_total") ? name : name + "_total";
    series(total, "counter", help, new SampleSeries.Value(prefix(total, labels), value));
  }

  private void gauge(String name, List<Tag> labels, String help, DoubleSupplier value) {
    series(name, "gauge", help, new SampleSeries.Value(prefix(name, labels), value));
  }

  private void summary(
      String name, List<Tag> labels, String help, LongSupplier count, DoubleSupplier sum) {
    byte[] countPrefix = prefix(name + "_count", labels);
    byte[] sumPrefix = prefix(name + "_sum", labels);
    series(name, "summary", help, new SampleSeries.Summary(countPrefix, sumPrefix, count, sum));
  }

  private void distribution(
      String name,
      List<Tag> labels,
      String help,
      Supplier<HistogramSnapshot> snapshots,
      TimeUnit unit,
      LongSupplier count,
      DoubleSupplier sum) {
    CountAtBucket[] buckets = snapshots.get().histogramCounts();
    if (buckets.length == 0) {
      summary(name, labels, help, count, sum);
      return;
    }
    String bucketName = name + "_bucket";
    SampleSeries.Histogram.BucketPrefix bucketPrefix =
        bound -> TextFormat.samplePrefix(bucketName, labels, "le", TextFormat.bound(bound));
    List<byte[]> prefixes = new ArrayList<>(buckets.length);
    for (CountAtBucket bucket : buckets) {
      prefixes.add(bucketPrefix.of(SampleSeries.Histogram.bound(bucket, unit)));
    }
    series(
        name,
        "histogram",
        help,
        new SampleSeries.Histogram(
            prefixes,
            bucketPrefix.of(Double.POSITIVE_INFINITY),
            prefix(name + "_count", labels),
            prefix(name + "_sum", labels),
            snapshots,
            unit,
            bucketPrefix));
  }

  private static byte[] prefix(String name, List<Tag> labels) {
    return TextFormat.samplePrefix(name, labels, null, null);
  }

  private void series(String name, String type, String help, SampleSeries series) {
    families
        .computeIfAbsent(name, n -> new Family(TextFormat.header(n, type, help), new ArrayList<>()))
        .series()
        .add(series);
  }
}
