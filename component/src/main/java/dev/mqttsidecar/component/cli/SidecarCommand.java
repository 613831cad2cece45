package dev.mqttsidecar.component.cli;

import dev.mqttsidecar.broker.BrokerStorageException;
import dev.mqttsidecar.broker.ListenerStartException;
import dev.mqttsidecar.component.Sidecar;
import dev.mqttsidecar.component.config.ConfigBinder;
import dev.mqttsidecar.component.config.ConfigException;
import dev.mqttsidecar.component.config.Configuration;
import dev.mqttsidecar.component.config.SettingsResolver;
import dev.mqttsidecar.component.config.SidecarSettings;
import dev.mqttsidecar.component.fs.UnsafePathException;
import dev.mqttsidecar.component.http.HttpSettings;
import dev.mqttsidecar.component.logging.LogOutput;
import dev.mqttsidecar.component.socket.SocketGuard.SocketInUseException;
import dev.mqttsidecar.component.socket.SocketPath;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mqtt-sidecar}: runs the Dapr pluggable component and its embedded MQTT broker. */
@Command(
    name = "mqtt-sidecar",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    subcommands = {PasswdCommand.class},
    description = {
      "Dapr pluggable component (pub/sub and state store) backed by an embedded MQTT 3.1.1/5.0"
          + " broker.",
      "daprd discovers it in its sockets folder; devices connect to the MQTT port."
    })
public final class SidecarCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "YAML configuration file; the options below, when given, override its keys. Relative"
              + " paths in it resolve against its folder.")
  Path config;

  @Option(
      names = "--socket-folder",
      paramLabel = "DIR",
      description =
          "Folder for the component socket (default: $DAPR_COMPONENTS_SOCKETS_FOLDER, else "
              + SocketPath.DEFAULT_FOLDER
              + ").")
  Path socketFolder;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      defaultValue = "mqtt-sidecar",
      description =
          "Socket name: <folder>/<NAME>.sock; Component YAML types are pubsub.<NAME> and"
              + " state.<NAME> (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(
      names = "--socket-mode",
      paramLabel = "MODE",
      defaultValue = "0660",
      description =
          "Permissions of the socket file, in octal; connecting needs write permission (default:"
              + " ${DEFAULT-VALUE}: the user and its group).")
  String socketMode;

  @Option(
      names = "--mqtt-host",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description =
          "Address of the first MQTT listener (default: ${DEFAULT-VALUE}). Any other address needs"
              + " authentication, or a --config file that allows anonymous clients.")
  String mqttHost;

  @Option(
      names = "--mqtt-port",
      paramLabel = "PORT",
      defaultValue = "1883",
      description =
          "Port of the first MQTT listener; 0 picks a free port (default: ${DEFAULT-VALUE}).")
  int mqttPort;

  @Option(
      names = "--http",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "The HTTP server for /healthz, /readyz, /metrics and POST /topics/{topic} (default: on;"
              + " --no-http turns it off).")
  boolean http;

  @Option(
      names = "--http-host",
      paramLabel = "ADDR",
      defaultValue = HttpSettings.DEFAULT_HOST,
      description =
          "Address of the HTTP server (default: ${DEFAULT-VALUE}). Any other address needs"
              + " authentication, as for MQTT listeners.")
  String httpHost;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      defaultValue = "9080",
      description = "Port of the HTTP server; 0 picks a free port (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Concurrent MQTT connections (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--max-packet-size",
      paramLabel = "BYTES",
      defaultValue = "5242880",
      description = "Largest MQTT packet accepted (default: ${DEFAULT-VALUE}).")
  int maxPacketSize;

  @Option(
      names = "--max-queued-messages",
      paramLabel = "N",
      defaultValue = "10000",
      description =
          "Messages queued per offline session or shared group (default: ${DEFAULT-VALUE}).")
  int maxQueuedMessages;

  @Option(
      names = "--sys-interval",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description =
          "How often $SYS/broker/... statistics are published; 0 turns them off (default:"
              + " ${DEFAULT-VALUE}).")
  int sysIntervalSeconds;

  @Option(
      names = "--lifecycle-events",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Publish client connect/disconnect events on"
              + " $events/clients/{clientId}/connected|disconnected (default: on;"
              + " --no-lifecycle-events turns them off).")
  boolean lifecycleEvents;

  @Option(
      names = "--broker",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "--no-broker serves only the component socket: no MQTT listener, no data directory, no"
              + " embedded state; every Component then needs a url (remote mode). Default: on.")
  boolean broker;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "data",
      description =
          "Data directory of the durable store, created if missing (default: ${DEFAULT-VALUE},"
              + " under the working directory).")
  Path dataDir;

  @Option(
      names = "--durability",
      paramLabel = "MODE",
      defaultValue = "fsync",
      description =
          "fsync: acknowledge after the write is fsync'd; periodic: fsync every --sync-interval-ms"
              + " (a power loss may lose that window); memory: no disk, nothing survives a restart"
              + " (default: ${DEFAULT-VALUE}).")
  String durability;

  @Option(
      names = "--sync-interval-ms",
      paramLabel = "MS",
      defaultValue = "100",
      description = "fsync interval of --durability periodic (default: ${DEFAULT-VALUE}).")
  long syncIntervalMs;

  @Option(
      names = "--shutdown-grace",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "How long running calls may finish after SIGTERM (default: ${DEFAULT-VALUE}).")
  int shutdownGraceSeconds;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      defaultValue = "INFO",
      description = "TRACE, DEBUG, INFO, WARN or ERROR (default: ${DEFAULT-VALUE}).")
  String logLevel;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text: one readable line per event; json: one JSON object per line, for log collectors (default: ${DEFAULT-VALUE}).")
  String logFormat;

  @Override
  public Integer call() throws Exception {
    SidecarSettings settings;
    boolean embeddedBroker;
    try {
      Configuration configuration = configuration();
      embeddedBroker = configuration.mqtt().embeddedBroker();
      LogOutput.apply(configuration.logLevel(), configuration.logFormat());
      settings =
          SettingsResolver.resolve(configuration, SocketPath.folderFromEnvironment(System::getenv));
    } catch (ConfigException e) {
      // One line naming the file and the key; exit code 2 as for any other bad usage.
      spec.commandLine().getErr().println("mqtt-sidecar: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Sidecar sidecar = new Sidecar(settings, embeddedBroker);
    try {
      sidecar.start();
    } catch (SocketInUseException
        | BrokerStorageException
        | UnsafePathException
        | ListenerStartException e) {
      // One line naming the problem (the socket, the data directory, a folder, a listener's TLS
      // file), no stack trace.
      spec.commandLine().getErr().println("mqtt-sidecar: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sidecar.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * The configuration file (if any) with the parsed command line over it, checked, as the sidecar
   * would start with it.
   *
   * @throws ConfigException for a mistake in the file
   * @throws IllegalArgumentException for an option value the configuration cannot take
   */
  public Configuration configuration() throws ConfigException {
    return CommandLineOverrides.apply(fileOrDefaults(), this, spec.commandLine().getParseResult());
  }

  private Configuration fileOrDefaults() throws ConfigException {
    return config == null ? Configuration.defaults() : ConfigBinder.load(config, config.toString());
  }
}
