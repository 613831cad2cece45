package dev.mqttsidecar.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The soak's files in the output folder: {@code soak.csv} (one row per sample), {@code soak.md}
 * (the table, the load's totals and the verdict) and {@code soak.gp}, which gnuplot renders into
 * {@code soak.png} (done here when gnuplot is installed).
 */
final class SoakReport {
  private final Path dir;
  private final String title;

  SoakReport(Path dir, String title) {
    this.dir = dir;
    this.title = title;
  }

  void writeCsv(List<Sample> samples) throws IOException {
    StringBuilder b = new StringBuilder(Sample.CSV_HEADER).append('\n');
    samples.forEach(s -> b.append(s.csv()).append('\n'));
    Files.writeString(dir.resolve("soak.csv"), b);
  }

  /**
   * @param verdict the verdict, or null while the run is still going (the table is then labelled
   *     partial)
   */
  void writeMarkdown(List<Sample> samples, List<Ledger> ledgers, FlatnessVerdict.Verdict verdict)
      throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("# ").append(title).append(verdict == null ? " (partial: still running)" : "");
    b.append("\n\n| min | heap after GC (MiB) | RSS (MiB) | threads | fds | store (MiB) |")
        .append(" sent | received | in flight | errors | session connects |\n")
        .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Sample s : samples) {
      ProcessProbe.Resources r = s.resources();
      b.append(
          String.format(
              Locale.ROOT,
              "| %.1f | %.1f | %.1f | %d | %d | %.1f | %,d | %,d | %,d | %,d | %,d |%n",
              s.minutes(),
              r.heapKib() / 1024.0,
              r.rssKib() / 1024.0,
              r.threads(),
              r.fds(),
              r.storeBytes() / 1048576.0,
              s.sent(),
              s.received(),
              s.unconfirmed(),
              s.errors(),
              s.sessionConnects()));
    }
    b.append("\n| stream | sent | acknowledged | received | lost | errors |\n")
        .append("|---|---:|---:|---:|---:|---:|\n");
    for (Ledger l : ledgers) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %,d | %,d | %,d | %,d |%n",
              l.name(),
              l.sentCount(),
              l.ackedCount(),
              l.receivedCount(),
              l.missing(),
              l.errors()));
    }
    if (verdict != null) {
      b.append("\nVerdict: **")
          .append(verdict.passed() ? "flat" : "NOT flat")
          .append("**\n\n")
          .append(checksTable(verdict.checks()));
      ledgers.stream()
          .filter(l -> l.firstError() != null)
          .forEach(
              l ->
                  b.append("\nFirst error of ")
                      .append(l.name())
                      .append(": ")
                      .append(l.firstError())
                      .append('\n'));
    }
    Files.writeString(dir.resolve("soak.md"), b);
  }

  /** The checks as a markdown table. */
  static String checksTable(List<FlatnessVerdict.Check> checks) {
    StringBuilder b = new StringBuilder("| series | rule | measured | |\n|---|---|---|---|\n");
    for (FlatnessVerdict.Check c : checks) {
      b.append(
          String.format(
              "| %s | %s | %s | %s |%n",
              c.what(), c.rule(), c.measured(), c.passed() ? "ok" : "**FAIL**"));
    }
    return b.toString();
  }

  /** Writes soak.gp and runs gnuplot on it if it is installed; returns whether soak.png exists. */
  boolean plot() throws IOException, InterruptedException {
    String script =
        String.join(
            "\n",
            "set terminal pngcairo size 1100,1000 noenhanced font ',10'",
            "set output 'soak.png'",
            "set datafile separator ','",
            "set key autotitle columnhead",
            "set grid",
            "set xlabel 'minutes'",
            "set multiplot layout 3,2 title '" + title.replace("'", "") + "'",
            "set title 'heap after GC and RSS (MiB)'",
            "set yrange [0:*]",
            "plot 'soak.csv' using ($1/60):($2/1024) with linespoints pt 7 ps 0.5 title 'heap after"
                + " GC', '' using ($1/60):($3/1024) with linespoints pt 7 ps 0.5 title 'RSS'",
            "set title 'threads'",
            "plot 'soak.csv' using ($1/60):4 with linespoints pt 7 ps 0.5 notitle",
            "set title 'open file descriptors'",
            "plot 'soak.csv' using ($1/60):5 with linespoints pt 7 ps 0.5 notitle",
            "set title 'store on disk (MiB)'",
            "plot 'soak.csv' using ($1/60):($6/1048576) with linespoints pt 7 ps 0.5 notitle",
            "set title 'messages and calls so far'",
            "plot 'soak.csv' using ($1/60):7 with lines title 'sent', '' using ($1/60):9 with lines"
                + " title 'received', '' using ($1/60):13 with lines title 'state calls'",
            "set title 'errors and messages in flight'",
            "plot 'soak.csv' using ($1/60):11 with linespoints pt 7 ps 0.5 title 'errors', '' using"
                + " ($1/60):10 with linespoints pt 7 ps 0.5 title 'in flight'",
            "unset multiplot",
            "");
    Files.writeString(dir.resolve("soak.gp"), script);
    try {
      Process p =
          new ProcessBuilder("gnuplot", "soak.gp")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("gnuplot.log").toFile())
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      return false; // no gnuplot: soak.gp stays for later
    }
    Path log = dir.resolve("gnuplot.log");
    if (Files.exists(log) && Files.size(log) == 0) {
      Files.delete(log);
    }
    return Files.exists(dir.resolve("soak.png"));
  }
}
