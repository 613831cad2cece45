package dev.mqttsidecar.component.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.component.config.Configuration;
import dev.mqttsidecar.component.config.FileMode;
import dev.mqttsidecar.component.http.HttpSettings;
import dev.mqttsidecar.component.logging.LogFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** The command line over the configuration file: only options actually given replace its keys. */
class CommandLineOverridesTest {

  /** A file whose every key differs from the default, so no override can pass by accident. */
  private static final Configuration FILE =
      Configuration.defaults()
          .withSocket(
              new Configuration.Socket(
                  Path.of("/file/sockets"), "from-file", FileMode.parse("0600"), true))
          .withListeners(
              List.of(
                  new Listener("first", "::1", 1884, Listener.Protocol.MQTT, null),
                  new Listener("second", "127.0.0.2", 1885, Listener.Protocol.WEBSOCKET, null)))
          .withMqtt(new Configuration.Mqtt(11, 2048, 12, 30, 13, 14, 1))
          .withSys(new Configuration.Sys(Duration.ofSeconds(5), false))
          .withStorage(
              new Configuration.Storage(
                  Path.of("/file/data"), Durability.PERIODIC, Duration.ofMillis(7)))
          .withHttp(new HttpSettings(true, "::1", 9999, 1000, null))
          .withShutdownGrace(Duration.ofSeconds(3))
          .withLogLevel("WARN")
          .withLogFormat(LogFormat.JSON);

  private static Configuration apply(Configuration file, String... args) {
    SidecarCommand command = new SidecarCommand();
    ParseResult parsed = new CommandLine(command).parseArgs(args);
    return CommandLineOverrides.apply(file, command, parsed);
  }

  private static Map<List<String>, UnaryOperator<Configuration>> overrides() {
    Map<List<String>, UnaryOperator<Configuration>> cases = new LinkedHashMap<>();
    cases.put(
        List.of("--socket-folder", "/cli/sockets"),
        c ->
            c.withSocket(socket(c, Path.of("/cli/sockets"), c.socket().name(), c.socket().mode())));
    cases.put(
        List.of("--name", "from-cli"),
        c -> c.withSocket(socket(c, c.socket().folder(), "from-cli", c.socket().mode())));
    cases.put(
        List.of("--socket-mode", "0640"),
        c ->
            c.withSocket(
                socket(c, c.socket().folder(), c.socket().name(), FileMode.parse("0640"))));
    cases.put(
        List.of("--mqtt-host", "127.0.0.9"),
        c -> c.withListeners(first(c, "127.0.0.9", c.listeners().get(0).port())));
    cases.put(
        List.of("--mqtt-port", "0"),
        c -> c.withListeners(first(c, c.listeners().get(0).host(), 0)));
    cases.put(List.of("--max-connections", "99"), c -> c.withMqtt(mqtt(c, 99, 0)));
    cases.put(List.of("--max-packet-size", "4096"), c -> c.withMqtt(mqtt(c, 4096, 1)));
    cases.put(List.of("--max-queued-messages", "98"), c -> c.withMqtt(mqtt(c, 98, 2)));
    cases.put(
        List.of("--sys-interval", "0"),
        c -> c.withSys(new Configuration.Sys(Duration.ZERO, c.sys().lifecycleEvents())));
    cases.put(
        List.of("--no-broker"),
        c -> {
          Configuration.Mqtt m = c.mqtt();
          return c.withMqtt(
              new Configuration.Mqtt(
                  m.maxConnections(),
                  m.maxPacketSize(),
                  m.maxQueuedMessages(),
                  m.maxQueuedBytes(),
                  m.serverKeepAlive(),
                  m.receiveMaximum(),
                  m.topicAliasMaximum(),
                  m.maximumQos(),
                  false));
        });
    cases.put(
        List.of("--lifecycle-events"),
        c -> c.withSys(new Configuration.Sys(c.sys().interval(), true)));
    cases.put(
        List.of("--data-dir", "/cli/data"),
        c ->
            c.withStorage(
                new Configuration.Storage(
                    Path.of("/cli/data"), c.storage().durability(), c.storage().syncInterval())));
    cases.put(
        List.of("--durability", "memory"),
        c ->
            c.withStorage(
                new Configuration.Storage(
                    c.storage().dataDir(), Durability.MEMORY, c.storage().syncInterval())));
    cases.put(
        List.of("--sync-interval-ms", "250"),
        c ->
            c.withStorage(
                new Configuration.Storage(
                    c.storage().dataDir(), c.storage().durability(), Duration.ofMillis(250))));
    cases.put(List.of("--no-http"), c -> c.withHttp(c.http().withEnabled(false)));
    cases.put(List.of("--http-host", "127.0.0.3"), c -> c.withHttp(c.http().withHost("127.0.0.3")));
    cases.put(List.of("--http-port", "0"), c -> c.withHttp(c.http().withPort(0)));
    cases.put(List.of("--shutdown-grace", "1"), c -> c.withShutdownGrace(Duration.ofSeconds(1)));
    cases.put(List.of("--log-level", "DEBUG"), c -> c.withLogLevel("DEBUG"));
    cases.put(List.of("--log-format", "text"), c -> c.withLogFormat(LogFormat.TEXT));
    return cases;
  }

  private static Configuration.Socket socket(
      Configuration c,
      Path folder,
      String name,
      Set<java.nio.file.attribute.PosixFilePermission> mode) {
    return new Configuration.Socket(folder, name, mode, c.socket().allowWorldWritableFolder());
  }

  private static List<Listener> first(Configuration c, String host, int port) {
    List<Listener> listeners = new ArrayList<>(c.listeners());
    Listener first = listeners.get(0);
    listeners.set(0, new Listener(first.name(), host, port, first.protocol(), first.tls()));
    return listeners;
  }

  private static Configuration.Mqtt mqtt(Configuration c, int value, int which) {
    Configuration.Mqtt m = c.mqtt();
    return new Configuration.Mqtt(
        which == 0 ? value : m.maxConnections(),
        which == 1 ? value : m.maxPacketSize(),
        which == 2 ? value : m.maxQueuedMessages(),
        m.serverKeepAlive(),
        m.receiveMaximum(),
        m.topicAliasMaximum(),
        m.maximumQos());
  }

  @Test
  void withoutOptionsEveryKeyOfTheFileStays() {
    assertThat(apply(FILE)).isEqualTo(FILE);
  }

  @Test
  void eachOptionGivenReplacesItsKeyAndNothingElse() {
    overrides()
        .forEach(
            (args, expected) ->
                assertThat(apply(FILE, args.toArray(String[]::new)))
                    .as("%s", args)
                    .isEqualTo(expected.apply(FILE)));
  }

  @Test
  void theNegatedLifecycleOptionOverridesToo() {
    Configuration on = FILE.withSys(new Configuration.Sys(Duration.ofSeconds(5), true));
    assertThat(apply(on, "--no-lifecycle-events").sys().lifecycleEvents()).isFalse();
  }

  @Test
  void everyOptionHasAKeyItOverrides() {
    Set<String> covered =
        overrides().keySet().stream()
            .map(args -> args.get(0).replace("--no-", "--"))
            .collect(Collectors.toSet());
    Set<String> options = new TreeSet<>();
    for (OptionSpec option : new CommandLine(new SidecarCommand()).getCommandSpec().options()) {
      if (!option.usageHelp()
          && !option.versionHelp()
          && !option.longestName().equals("--config")) {
        options.add(option.longestName());
      }
    }
    assertThat(covered).containsExactlyInAnyOrderElementsOf(options);
  }

  @Test
  void theMqttAddressOptionsChangeOnlyTheFirstListener() {
    Configuration c = apply(FILE, "--mqtt-host", "127.0.0.9", "--mqtt-port", "0");
    assertThat(c.listeners())
        .containsExactly(
            new Listener("first", "127.0.0.9", 0, Listener.Protocol.MQTT, null),
            FILE.listeners().get(1));
  }

  @Test
  void theDefaultsTheHelpShowsAreTheConfigurationDefaults() {
    // Every option given its documented default changes nothing in the defaults.
    List<String> args = new ArrayList<>();
    for (OptionSpec option : new CommandLine(new SidecarCommand()).getCommandSpec().options()) {
      if (option.defaultValue() != null && option.arity().max() > 0) {
        args.add(option.longestName());
        args.add(option.defaultValue());
      }
    }
    args.add("--lifecycle-events");
    args.add("--broker");
    args.add("--http");
    assertThat(args).contains("--max-connections", "--socket-mode", "--durability");
    Configuration defaults = Configuration.defaults();
    assertThat(apply(defaults, args.toArray(String[]::new))).isEqualTo(defaults);
  }

  @Test
  void aBadSocketModeNamesTheOption() {
    assertThatThrownBy(() -> apply(FILE, "--socket-mode", "rw"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--socket-mode must be an octal file mode such as \"0660\", was 'rw'");
  }

  @Test
  void aBadLogFormatNamesTheOption() {
    assertThatThrownBy(() -> apply(FILE, "--log-format", "xml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--log-format must be text or json, was 'xml'");
  }
}
