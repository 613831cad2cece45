package dev.mqttsidecar.bench.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mqtt-bench report}: turns a results folder's CSVs into results.md and a plot script. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Reads DIR/load.csv and DIR/connections.csv and writes DIR/results.md, and DIR/latency.gp",
      "with its data files (gnuplot latency.gp renders latency.png) when there are open-loop runs."
    })
public final class ReportCommand implements Callable<Integer> {

  @Option(names = "--dir", required = true, description = "Results folder.")
  Path dir;

  @Option(
      names = "--subject",
      defaultValue = "sidecar",
      description = "Broker label the report is about (default: ${DEFAULT-VALUE}).")
  String subject;

  @Option(
      names = "--baseline",
      defaultValue = "mosquitto",
      description = "Broker label ratios are taken against (default: ${DEFAULT-VALUE}).")
  String baseline;

  @Option(names = "--title", defaultValue = "MQTT broker comparison", description = "Heading.")
  String title;

  @Option(
      names = "--note",
      description = "A line under the heading (machine, date, command); repeatable.")
  List<String> notes = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<Map<String, String>> load = CsvTable.read(dir.resolve("load.csv"));
    List<Map<String, String>> connections = CsvTable.read(dir.resolve("connections.csv"));
    Map<String, Map<String, Aggregate>> all = Aggregate.group(load);
    Map<String, Map<String, Aggregate>> maxRate = new LinkedHashMap<>();
    Map<String, Map<String, Aggregate>> openLoop = new LinkedHashMap<>();
    all.forEach(
        (name, runs) -> {
          boolean open = runs.values().iterator().next().get("target_rate") > 0;
          (open ? openLoop : maxRate).put(name, runs);
        });
    String md =
        new MarkdownReport(subject, baseline).render(title, notes, maxRate, openLoop, connections);
    Files.writeString(dir.resolve("results.md"), md);
    Path gp = LatencyPlot.write(dir, openLoop, title + ": latency vs offered load");
    System.out.println("wrote " + dir.resolve("results.md") + (gp != null ? " and " + gp : ""));
    return 0;
  }
}
