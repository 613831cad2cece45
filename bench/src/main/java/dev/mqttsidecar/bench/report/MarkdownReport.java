package dev.mqttsidecar.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results table: a summary of the subject (the sidecar) against the baseline (Mosquitto), the
 * issue's targets checked against this run, then every run in detail and the connection scale.
 */
final class MarkdownReport {
  private static final long GIB = 1024L * 1024 * 1024;
  private static final int TARGET_CONNECTIONS = 100_000;
  private static final double BUSY = 0.9;

  private final String subject;
  private final String baseline;
  private final StringBuilder md = new StringBuilder();

  MarkdownReport(String subject, String baseline) {
    this.subject = subject;
    this.baseline = baseline;
  }

  String render(
      String title,
      List<String> preamble,
      Map<String, Map<String, Aggregate>> maxRate,
      Map<String, Map<String, Aggregate>> openLoop,
      List<Map<String, String>> connections) {
    line("# " + title);
    line("");
    preamble.forEach(note -> line("- " + note));
    line("");
    summary(maxRate, openLoop);
    targets(maxRate, openLoop, connections);
    details("Maximum rate", maxRate);
    details("Latency at offered load (open loop)", openLoop);
    connections(connections);
    return md.toString();
  }

  private void summary(
      Map<String, Map<String, Aggregate>> maxRate, Map<String, Map<String, Aggregate>> openLoop) {
    line("## " + subject + " vs " + baseline);
    line("");
    line(
        "| run | metric | "
            + subject
            + " | "
            + baseline
            + " | "
            + subject
            + "/"
            + baseline
            + " | best of the others |");
    line("|---|---|---:|---:|---:|---|");
    maxRate.forEach(
        (name, runs) -> summaryRow(name, runs, "delivered msg/s", "delivery_rate", true));
    openLoop.forEach((name, runs) -> summaryRow(name, runs, "p99 latency", "p99_us", false));
    line("");
  }

  private void summaryRow(
      String name,
      Map<String, Aggregate> runs,
      String metric,
      String column,
      boolean higherIsBetter) {
    Aggregate s = runs.get(subject);
    Aggregate b = runs.get(baseline);
    String best = "";
    double bestValue = higherIsBetter ? -1 : Double.MAX_VALUE;
    for (Aggregate a : runs.values()) {
      if (!isOther(a) || !measured(a, column)) {
        continue;
      }
      double v = a.get(column);
      if (higherIsBetter ? v > bestValue : v < bestValue) {
        bestValue = v;
        best = a.label() + " " + format(column, v);
      }
    }
    line(
        String.format(
            "| %s | %s | %s | %s | %s | %s |",
            name,
            metric,
            measured(s, column) ? format(column, s.get(column)) : "-",
            measured(b, column) ? format(column, b.get(column)) : "-",
            measured(s, column) && measured(b, column) ? ratio(s.get(column), b.get(column)) : "-",
            best));
  }

  private void targets(
      Map<String, Map<String, Aggregate>> maxRate,
      Map<String, Map<String, Aggregate>> openLoop,
      List<Map<String, String>> connections) {
    line("## Targets");
    line("");
    boolean hasSubject =
        maxRate.values().stream().anyMatch(r -> r.containsKey(subject))
            || openLoop.values().stream().anyMatch(r -> r.containsKey(subject));
    if (!hasSubject) {
      line("No " + subject + " results in this run.");
      line("");
      return;
    }
    maxRate.forEach(
        (name, runs) -> {
          Aggregate s = runs.get(subject);
          Aggregate b = runs.get(baseline);
          if (s == null || b == null || s.get("qos") > 1 || !name.startsWith("max-")) {
            return;
          }
          double r = s.get("delivery_rate") / Math.max(1, b.get("delivery_rate"));
          boolean ahead =
              runs.values().stream()
                  .filter(this::isOther)
                  .allMatch(a -> s.get("delivery_rate") >= a.get("delivery_rate"));
          check(
              r >= 1.5 && ahead,
              String.format(
                  Locale.ROOT,
                  "%s: throughput %.2fx %s (target >= 1.5x), %s the other Java brokers",
                  name,
                  r,
                  baseline,
                  ahead ? "ahead of" : "NOT ahead of"));
        });
    openLoop.forEach(
        (name, runs) -> {
          Aggregate s = runs.get(subject);
          Aggregate b = runs.get(baseline);
          if (s == null || b == null || !name.contains("50pct")) {
            return;
          }
          check(
              hasLatency(s) && s.get("p99_us") <= b.get("p99_us"),
              String.format(
                  Locale.ROOT,
                  "%s: p99 %s vs %s %s (target: no worse)",
                  name,
                  Csv.micros(s.get("p99_us")),
                  baseline,
                  Csv.micros(b.get("p99_us"))));
        });
    for (Map<String, String> c : connections) {
      if (!subject.equals(c.get("label")) || CsvTable.num(c, "rss_per_conn_bytes") < 0) {
        continue;
      }
      double projected =
          CsvTable.num(c, "rss_before_kib") * 1024
              + CsvTable.num(c, "rss_per_conn_bytes") * TARGET_CONNECTIONS;
      check(
          projected < GIB,
          String.format(
              Locale.ROOT,
              "%,d idle connections: %.0f MiB resident, extrapolated from %,.0f measured (target <"
                  + " 1 GiB)",
              TARGET_CONNECTIONS,
              projected / 1024 / 1024,
              CsvTable.num(c, "established")));
    }
    long lost = 0;
    long checkedRuns = 0;
    for (Map<String, Map<String, Aggregate>> group : List.of(maxRate, openLoop)) {
      for (Map<String, Aggregate> runs : group.values()) {
        Aggregate s = runs.get(subject);
        if (s != null && s.get("qos") >= 1) {
          lost += (long) (s.get("lost") + s.get("duplicates") * (s.get("qos") == 2 ? 1 : 0));
          checkedRuns++;
        }
      }
    }
    if (checkedRuns > 0) {
      check(
          lost == 0,
          String.format(
              "QoS 1/2: %d lost (or, at QoS 2, duplicated) over %d runs (target: none)",
              lost, checkedRuns));
    }
    line("");
  }

  private void check(boolean met, String text) {
    line("- " + (met ? "met: " : "**NOT met**: ") + text);
  }

  private void details(String heading, Map<String, Map<String, Aggregate>> runs) {
    if (runs.isEmpty()) {
      return;
    }
    line("## " + heading);
    line("");
    runs.forEach(
        (name, byLabel) -> {
          Aggregate first = byLabel.values().iterator().next();
          line(
              String.format(
                  "### %s: %s, QoS %s, MQTT %s, %s publishers / %s subscribers, %s B%s",
                  name,
                  first.text("scenario"),
                  first.text("qos"),
                  first.text("mqtt"),
                  first.text("publishers"),
                  first.text("subscribers"),
                  first.text("payload"),
                  first.get("target_rate") > 0
                      ? String.format(", %,.0f msg/s offered", first.get("target_rate"))
                      : ", max rate"));
          line("");
          line(
              "| broker | published msg/s | delivered msg/s | p50 | p90 | p99 | p99.9 | max | lost"
                  + " | dup | errors | broker CPU | delivered per broker CPU-s | generator CPU |"
                  + " rounds |");
          line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
          byLabel
              .values()
              .forEach(
                  a ->
                      line(
                          String.format(
                              Locale.ROOT,
                              "| %s | %,.0f | %,.0f | %s | %s | %s | %s | %s | %,.0f | %,.0f |"
                                  + " %,.0f | %s | %s | %s | %d |",
                              a.label(),
                              a.get("publish_rate"),
                              a.get("delivery_rate"),
                              latency(a, "p50_us"),
                              latency(a, "p90_us"),
                              latency(a, "p99_us"),
                              latency(a, "p999_us"),
                              latency(a, "max_us"),
                              a.get("lost"),
                              a.get("duplicates"),
                              a.get("errors"),
                              percent(a.get("broker_cpu")),
                              perCpu(a.get("delivery_rate"), a.get("broker_cpu")),
                              percent(a.get("generator_cpu")) + (generatorBound(a) ? " (!)" : ""),
                              a.rounds())));
          line("");
          if (byLabel.values().stream().anyMatch(MarkdownReport::generatorBound)) {
            line(
                "(!) The generator used 90% or more of its core while the broker used less than"
                    + " 90% of its own: that run measures the generator, not the broker.");
            line("");
          }
        });
  }

  private void connections(List<Map<String, String>> rows) {
    if (rows.isEmpty()) {
      return;
    }
    line("## Idle connections");
    line("");
    line(
        "| broker | connections | established | conn/s | RSS before | RSS after | bytes/connection"
            + " | 100k projected |");
    line("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (Map<String, String> c : rows) {
      double per = CsvTable.num(c, "rss_per_conn_bytes");
      double before = CsvTable.num(c, "rss_before_kib");
      line(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %,.0f | %,.0f | %s | %s | %s | %s |",
              c.get("label"),
              CsvTable.num(c, "connections"),
              CsvTable.num(c, "established"),
              CsvTable.num(c, "connect_rate"),
              mib(before * 1024),
              mib(CsvTable.num(c, "rss_after_kib") * 1024),
              per < 0 ? "-" : String.format(Locale.ROOT, "%,.0f", per),
              per < 0 ? "-" : mib(before * 1024 + per * TARGET_CONNECTIONS)));
    }
    line("");
  }

  /** Another broker: neither the subject nor the baseline, nor a variant of either. */
  private boolean isOther(Aggregate a) {
    return !a.label().startsWith(subject) && !a.label().startsWith(baseline);
  }

  /** A saturated generator only limits the run when the broker still had CPU to spare. */
  private static boolean generatorBound(Aggregate a) {
    return a.get("generator_cpu") >= BUSY && a.get("broker_cpu") < BUSY;
  }

  /**
   * A run with no message sent in its measured window (an overloaded broker that stopped
   * acknowledging) has no latency samples: its zeros are not a latency.
   */
  private static boolean hasLatency(Aggregate a) {
    return a.get("max_us") > 0;
  }

  private static boolean measured(Aggregate a, String column) {
    return a != null && (!column.endsWith("_us") || hasLatency(a));
  }

  private static String latency(Aggregate a, String column) {
    return hasLatency(a) ? Csv.micros(a.get(column)) : "-";
  }

  private static String percent(double cores) {
    return cores < 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", cores * 100);
  }

  private static String perCpu(double rate, double cores) {
    return cores <= 0 ? "-" : String.format(Locale.ROOT, "%,.0f", rate / cores);
  }

  private static String mib(double bytes) {
    return bytes < 0 ? "-" : String.format(Locale.ROOT, "%,.0f MiB", bytes / 1024 / 1024);
  }

  private static String format(String column, double v) {
    return column.endsWith("_us") ? Csv.micros(v) : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String ratio(double a, double b) {
    return b == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", a / b);
  }

  private void line(String s) {
    md.append(s).append('\n');
  }
}
