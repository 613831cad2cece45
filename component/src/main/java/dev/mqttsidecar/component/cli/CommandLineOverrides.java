package dev.mqttsidecar.component.cli;

import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.component.config.Configuration;
import dev.mqttsidecar.component.config.FileMode;
import dev.mqttsidecar.component.logging.LogFormat;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.ParseResult;

/**
 * The command line over the configuration file: an option replaces the file's key only when it is
 * actually given, so the option defaults never hide what the file says. {@code --mqtt-host} and
 * {@code --mqtt-port} set the first listener's address.
 */
final class CommandLineOverrides {
  private final SidecarCommand options;
  private final ParseResult parsed;

  private CommandLineOverrides(SidecarCommand options, ParseResult parsed) {
    this.options = options;
    this.parsed = parsed;
  }

  /**
   * @throws IllegalArgumentException for an option value the configuration cannot take
   */
  static Configuration apply(Configuration file, SidecarCommand options, ParseResult parsed) {
    return new CommandLineOverrides(options, parsed).apply(file);
  }

  private Configuration apply(Configuration c) {
    Configuration.Socket socket = c.socket();
    Configuration.Mqtt mqtt = c.mqtt();
    Configuration.Storage storage = c.storage();
    return c.withSocket(
            new Configuration.Socket(
                pick("--socket-folder", options.socketFolder, socket.folder()),
                pick("--name", options.name, socket.name()),
                given("--socket-mode") ? socketMode() : socket.mode(),
                socket.allowWorldWritableFolder()))
        .withListeners(listeners(c.listeners()))
        .withMqtt(
            new Configuration.Mqtt(
                pick("--max-connections", options.maxConnections, mqtt.maxConnections()),
                pick("--max-packet-size", options.maxPacketSize, mqtt.maxPacketSize()),
                pick("--max-queued-messages", options.maxQueuedMessages, mqtt.maxQueuedMessages()),
                mqtt.maxQueuedBytes(),
                mqtt.serverKeepAlive(),
                mqtt.receiveMaximum(),
                mqtt.topicAliasMaximum(),
                mqtt.maximumQos(),
                pick("--broker", options.broker, mqtt.embeddedBroker())))
        .withSys(
            new Configuration.Sys(
                given("--sys-interval")
                    ? Duration.ofSeconds(options.sysIntervalSeconds)
                    : c.sys().interval(),
                pick("--lifecycle-events", options.lifecycleEvents, c.sys().lifecycleEvents())))
        .withStorage(
            new Configuration.Storage(
                pick("--data-dir", options.dataDir, storage.dataDir()),
                given("--durability") ? Durability.parse(options.durability) : storage.durability(),
                given("--sync-interval-ms")
                    ? Duration.ofMillis(options.syncIntervalMs)
                    : storage.syncInterval()))
        .withHttp(
            c.http()
                .withEnabled(pick("--http", options.http, c.http().enabled()))
                .withHost(pick("--http-host", options.httpHost, c.http().host()))
                .withPort(pick("--http-port", options.httpPort, c.http().port())))
        .withShutdownGrace(
            given("--shutdown-grace")
                ? Duration.ofSeconds(options.shutdownGraceSeconds)
                : c.shutdownGrace())
        .withLogLevel(pick("--log-level", options.logLevel, c.logLevel()))
        .withLogFormat(given("--log-format") ? logFormat() : c.logFormat());
  }

  private List<Listener> listeners(List<Listener> listeners) {
    if (!given("--mqtt-host") && !given("--mqtt-port")) {
      return listeners;
    }
    List<Listener> result = new ArrayList<>(listeners);
    Listener first = result.get(0);
    result.set(
        0,
        new Listener(
            first.name(),
            pick("--mqtt-host", options.mqttHost, first.host()),
            pick("--mqtt-port", options.mqttPort, first.port()),
            first.protocol(),
            first.tls()));
    return result;
  }

  private Set<PosixFilePermission> socketMode() {
    try {
      return FileMode.parse(options.socketMode);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--socket-mode " + e.getMessage(), e);
    }
  }

  private LogFormat logFormat() {
    try {
      return LogFormat.parse(options.logFormat);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--log-format " + e.getMessage(), e);
    }
  }

  private boolean given(String option) {
    return parsed.hasMatchedOption(option);
  }

  private <T> T pick(String option, T commandLine, T file) {
    return given(option) ? commandLine : file;
  }
}
