package dev.mqttsidecar.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latency percentiles versus offered load, one line per broker and percentile: writes a data file
 * per broker and a gnuplot script that renders {@code latency.png}.
 */
final class LatencyPlot {
  private LatencyPlot() {}

  /**
   * @param runs open-loop runs (aggregated), keyed by run name then broker
   * @return the gnuplot script written, or null if there was nothing to plot
   */
  static Path write(Path dir, Map<String, Map<String, Aggregate>> runs, String title)
      throws IOException {
    Map<String, TreeMap<Double, Aggregate>> byLabel = new LinkedHashMap<>();
    runs.values()
        .forEach(
            byBroker ->
                byBroker.forEach(
                    (label, a) ->
                        byLabel
                            .computeIfAbsent(label, k -> new TreeMap<>())
                            .put(a.get("target_rate"), a)));
    if (byLabel.isEmpty()) {
      return null;
    }
    List<String> plots = new ArrayList<>();
    int color = 1;
    for (Map.Entry<String, TreeMap<Double, Aggregate>> e : byLabel.entrySet()) {
      String file = "latency-" + e.getKey() + ".dat";
      StringBuilder data =
          new StringBuilder("# offered_msg_s delivered_msg_s p50_ms p99_ms p999_ms\n");
      e.getValue()
          .values()
          .forEach(
              a ->
                  data.append(
                      String.format(
                          Locale.ROOT,
                          "%.0f %.0f %.4f %.4f %.4f%n",
                          a.get("target_rate"),
                          a.get("delivery_rate"),
                          a.get("p50_us") / 1000,
                          a.get("p99_us") / 1000,
                          a.get("p999_us") / 1000)));
      Files.writeString(dir.resolve(file), data);
      plots.add(
          String.format(
              "'%s' using 1:4 with linespoints lc %d pt 7 dt 1 title '%s p99'",
              file, color, e.getKey()));
      plots.add(
          String.format(
              "'%s' using 1:3 with linespoints lc %d pt 6 dt 2 title '%s p50'",
              file, color, e.getKey()));
      color++;
    }
    String script =
        String.join(
            "\n",
            "set terminal pngcairo size 1100,700 noenhanced font ',11'",
            "set output 'latency.png'",
            "set title '" + title.replace("'", "") + "'",
            "set xlabel 'offered load (msg/s)'",
            "set ylabel 'end-to-end latency (ms, log scale)'",
            "set logscale y",
            "set grid",
            "set key outside right top",
            "plot " + String.join(", \\\n     ", plots),
            "");
    Path gp = dir.resolve("latency.gp");
    Files.writeString(gp, script);
    return gp;
  }
}
