package dev.mqttsidecar.component.metrics;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** The sample lines of one meter within its family: prefixes fixed, values read per scrape. */
interface SampleSeries {
  void write(TextBuffer out);

  /** One float: a counter's total, a gauge, a maximum. */
  record Value(byte[] prefix, DoubleSupplier value) implements SampleSeries {
    @Override
    public void write(TextBuffer out) {
      out.append(prefix).append(value.getAsDouble()).newline();
    }
  }

  /** {@code _count} and {@code _sum} of a summary without quantiles. */
  record Summary(byte[] countPrefix, byte[] sumPrefix, LongSupplier count, DoubleSupplier sum)
      implements SampleSeries {
    @Override
    public void write(TextBuffer out) {
      out.append(countPrefix).append(count.getAsLong()).newline();
      out.append(sumPrefix).append(sum.getAsDouble()).newline();
    }
  }

  /**
   * A histogram's cumulative buckets, {@code +Inf}, {@code _count} and {@code _sum}, all from one
   * snapshot so that they agree; {@code unit} is null for a distribution summary (base units).
   */
  final class Histogram implements SampleSeries {
    private final List<byte[]> bucketPrefixes;
    private final byte[] infinityPrefix;
    private final byte[] countPrefix;
    private final byte[] sumPrefix;
    private final Supplier<HistogramSnapshot> snapshots;
    private final TimeUnit unit;
    private final BucketPrefix fallback;

    /** The prefix of a bucket whose bound was not seen when the series was laid out. */
    interface BucketPrefix {
      byte[] of(double bound);
    }

    Histogram(
        List<byte[]> bucketPrefixes,
        byte[] infinityPrefix,
        byte[] countPrefix,
        byte[] sumPrefix,
        Supplier<HistogramSnapshot> snapshots,
        TimeUnit unit,
        BucketPrefix fallback) {
      this.bucketPrefixes = bucketPrefixes;
      this.infinityPrefix = infinityPrefix;
      this.countPrefix = countPrefix;
      this.sumPrefix = sumPrefix;
      this.snapshots = snapshots;
      this.unit = unit;
      this.fallback = fallback;
    }

    static double bound(CountAtBucket bucket, TimeUnit unit) {
      return unit == null ? bucket.bucket() : bucket.bucket(unit);
    }

    @Override
    public void write(TextBuffer out) {
      HistogramSnapshot snapshot = snapshots.get();
      CountAtBucket[] buckets = snapshot.histogramCounts();
      boolean laidOut = buckets.length == bucketPrefixes.size();
      for (int i = 0; i < buckets.length; i++) {
        byte[] prefix = laidOut ? bucketPrefixes.get(i) : fallback.of(bound(buckets[i], unit));
        out.append(prefix).append((long) buckets[i].count()).newline();
      }
      out.append(infinityPrefix).append(snapshot.count()).newline();
      out.append(countPrefix).append(snapshot.count()).newline();
      double sum = unit == null ? snapshot.total() : snapshot.total(unit);
      out.append(sumPrefix).append(sum).newline();
    }
  }
}
