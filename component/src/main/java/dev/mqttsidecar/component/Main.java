package dev.mqttsidecar.component;

import dev.mqttsidecar.component.cli.SidecarCommand;
import picocli.CommandLine;

/** Process entry point; the only place that exits the JVM. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(new SidecarCommand());
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          cmd.getErr().println("mqtt-sidecar: " + describe(e));
          org.slf4j.LoggerFactory.getLogger(Main.class).debug("startup failed", e);
          return 1;
        });
    System.exit(commandLine.execute(args));
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.toString() : message;
  }
}
