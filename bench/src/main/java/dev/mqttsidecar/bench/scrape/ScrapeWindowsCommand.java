package dev.mqttsidecar.bench.scrape;

import dev.mqttsidecar.bench.report.Csv;
import dev.mqttsidecar.bench.report.ResultFiles;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The broker's CPU in alternating windows with and without a scraper, while a steady load runs
 * against it (started separately). Windows come in blocks of four, not scraped, scraped, scraped,
 * not scraped, so that a drift over the block weighs on both halves alike; adjacent windows share
 * the JVM, its compiled code and the machine's state, which make whole runs differ by tens of
 * percent on a shared machine.
 */
@Command(
    name = "scrape-windows",
    mixinStandardHelpOptions = true,
    description =
        "Broker CPU, per thread name, in alternating windows with and without a scraper reading"
            + " /metrics every second; one CSV row per window and thread name.")
public final class ScrapeWindowsCommand implements Callable<Integer> {
  static final String CSV_HEADER = "name,block,window,label,seconds,scrapes,thread,cpu_seconds";
  private static final List<String> BLOCK =
      List.of("not-scraped", "scraped", "scraped", "not-scraped");

  @Option(names = "--pid", required = true, description = "The broker's process id.")
  long pid;

  @Option(names = "--url", required = true, description = "The metrics URL to scrape.")
  URI url;

  @Option(
      names = "--warm",
      defaultValue = "30",
      description =
          "Seconds scraped before the first window, not measured (default: ${DEFAULT-VALUE}).")
  int warmSeconds;

  @Option(
      names = "--blocks",
      defaultValue = "8",
      description = "Blocks of four windows (default: ${DEFAULT-VALUE}).")
  int blocks;

  @Option(
      names = "--seconds",
      defaultValue = "10",
      description = "Seconds per window (default: ${DEFAULT-VALUE}).")
  int windowSeconds;

  @Option(names = "--name", defaultValue = "run", description = "Run name in the rows.")
  String name;

  @Option(
      names = "--csv",
      required = true,
      paramLabel = "FILE",
      description = "Rows appended here.")
  Path csv;

  @Override
  public Integer call() throws Exception {
    if (blocks < 1 || windowSeconds < 1 || warmSeconds < 0) {
      System.err.println("mqtt-bench scrape-windows: --blocks and --seconds must be positive");
      return 2;
    }
    double[] cores = new double[2]; // not scraped, scraped
    double[] seconds = new double[2];
    try (PeriodicScraper scraper = new PeriodicScraper(url)) {
      scraper.switchTo(true);
      TimeUnit.SECONDS.sleep(warmSeconds);
      for (int block = 1; block <= blocks; block++) {
        for (int window = 0; window < BLOCK.size(); window++) {
          String label = BLOCK.get(window);
          boolean scraped = label.equals("scraped");
          scraper.switchTo(scraped);
          CpuWindow start = CpuWindow.take(pid, scraper.scrapes());
          TimeUnit.SECONDS.sleep(windowSeconds);
          CpuWindow end = CpuWindow.take(pid, scraper.scrapes());
          if (start.process() < 0 || end.process() < 0) {
            System.err.println("mqtt-bench scrape-windows: cannot read /proc/" + pid);
            return 1;
          }
          Map<String, Double> used = end.cpuSince(start);
          double wall = end.secondsSince(start);
          cores[scraped ? 1 : 0] += used.get(CpuWindow.PROCESS);
          seconds[scraped ? 1 : 0] += wall;
          for (Map.Entry<String, Double> e : used.entrySet()) {
            ResultFiles.appendCsv(
                csv,
                CSV_HEADER,
                String.join(
                    ",",
                    Csv.text(name),
                    Integer.toString(block),
                    Integer.toString(window + 1),
                    label,
                    String.format(Locale.ROOT, "%.3f", wall),
                    Long.toString(end.scrapes() - start.scrapes()),
                    Csv.text(e.getKey()),
                    String.format(Locale.ROOT, "%.2f", e.getValue())));
          }
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%s: broker %.4f cores not scraped, %.4f scraped; %d scrapes, %d failed%n",
          name,
          cores[0] / seconds[0],
          cores[1] / seconds[1],
          scraper.scrapes(),
          scraper.failures());
      return scraper.failures() > 0 ? 1 : 0;
    }
  }
}
