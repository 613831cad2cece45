package dev.mqttsidecar.bench;

import dev.mqttsidecar.bench.conn.ConnectionsCommand;
import dev.mqttsidecar.bench.dapr.DaprRatesCommand;
import dev.mqttsidecar.bench.durable.DurabilityCommand;
import dev.mqttsidecar.bench.load.LoadCommand;
import dev.mqttsidecar.bench.report.ReportCommand;
import dev.mqttsidecar.bench.scrape.ScrapeWindowsCommand;
import dev.mqttsidecar.bench.serve.ServeCommand;
import dev.mqttsidecar.bench.soak.SoakCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mqtt-bench}: the benchmark tools behind {@code bench/compare}. */
@Command(
    name = "mqtt-bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      LoadCommand.class,
      ConnectionsCommand.class,
      ReportCommand.class,
      DurabilityCommand.class,
      ServeCommand.class,
      SoakCommand.class,
      DaprRatesCommand.class,
      ScrapeWindowsCommand.class
    },
    description =
        "MQTT load generator, connection-scale scenario, results report, durability benchmark and"
            + " a standalone broker to measure against, a soak that checks the sidecar stays flat, and Dapr"
            + " call rates through a sidecar socket, and the broker's CPU with and without a"
            + " metrics scraper.")
public final class BenchMain implements Runnable {

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
