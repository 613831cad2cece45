package dev.mqttsidecar.component.config;

import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.component.http.HttpSettings;
import dev.mqttsidecar.component.logging.LogFormat;
import dev.mqttsidecar.component.socket.SocketPath;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a configuration file into a {@link Configuration}: checks every value, resolves the paths
 * written in it against the file's folder, and keeps the default for every key left out.
 */
public final class ConfigBinder {
  static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  private final Checks checks;
  private final String source;
  private final ListenersBinder listeners;
  private final SecurityBinder security;
  private final LimitsBinder limits;
  private final DataflowsBinder dataflows;

  private ConfigBinder(String source, Path baseDir) {
    this.source = source;
    this.checks = new Checks(source, baseDir);
    this.listeners = new ListenersBinder(checks);
    this.security = new SecurityBinder(checks);
    this.limits = new LimitsBinder(checks);
    this.dataflows = new DataflowsBinder(checks);
  }

  /**
   * Loads {@code file}, named in messages as {@code source} (the path as given on the command
   * line).
   */
  public static Configuration load(Path file, String source) throws ConfigException {
    ConfigDocument document = ConfigReader.read(file, source);
    Path baseDir = file.toAbsolutePath().normalize().getParent();
    return new ConfigBinder(source, baseDir).bind(document);
  }

  /** Binds YAML text as if it were a file in {@code baseDir}. */
  static Configuration bind(String yaml, String source, Path baseDir) throws ConfigException {
    return new ConfigBinder(source, baseDir).bind(ConfigReader.parse(yaml, source));
  }

  private Configuration bind(ConfigDocument document) throws ConfigException {
    Configuration defaults = Configuration.defaults();
    List<Listener> boundListeners = listeners.bind(document.listeners(), defaults.listeners());
    return new Configuration(
        source,
        socket(document.socket(), defaults.socket()),
        boundListeners,
        security.authentication(document.authentication()),
        security.rules(document.authorization(), boundListeners),
        mqtt(document.mqtt(), defaults.mqtt()),
        limits.bind(document.limits(), defaults.limits()),
        sys(document.sys(), defaults.sys()),
        storage(document.storage(), defaults.storage()),
        http(document.http(), defaults.http()),
        seconds("shutdownGrace", document.shutdownGrace(), defaults.shutdownGrace()),
        logLevel(document.log(), defaults.logLevel()),
        logFormat(document.log(), defaults.logFormat()),
        dataflows.bind(document.endpoints(), document.dataflows()));
  }

  private Configuration.Socket socket(ConfigDocument.Socket section, Configuration.Socket absent)
      throws ConfigException {
    if (section == null) {
      return absent;
    }
    Path folder = checks.path("socket.folder", section.folder());
    String name = section.name() == null ? absent.name() : section.name();
    try {
      new SocketPath(folder == null ? Path.of(SocketPath.DEFAULT_FOLDER) : folder, name);
    } catch (IllegalArgumentException e) {
      throw checks.error(section.name() == null ? "socket.folder" : "socket.name", e.getMessage());
    }
    Set<PosixFilePermission> mode = absent.mode();
    if (section.mode() != null) {
      try {
        mode = FileMode.parse(section.mode());
      } catch (IllegalArgumentException e) {
        throw checks.error("socket.mode", e.getMessage());
      }
    }
    return new Configuration.Socket(
        folder,
        name,
        mode,
        section.allowWorldWritableFolder() == null
            ? absent.allowWorldWritableFolder()
            : section.allowWorldWritableFolder());
  }

  private Configuration.Mqtt mqtt(ConfigDocument.Mqtt section, Configuration.Mqtt absent)
      throws ConfigException {
    if (section == null) {
      return absent;
    }
    Integer keepAlive = section.serverKeepAlive();
    return new Configuration.Mqtt(
        checks.range(
            "mqtt.maxConnections",
            section.maxConnections(),
            1,
            Integer.MAX_VALUE,
            absent.maxConnections()),
        // 268,435,455: the largest Variable Byte Integer, so the largest Remaining Length (1.5.5)
        checks.range(
            "mqtt.maxPacketSize", section.maxPacketSize(), 64, 268_435_455, absent.maxPacketSize()),
        checks.range(
            "mqtt.maxQueuedMessages",
            section.maxQueuedMessages(),
            1,
            Integer.MAX_VALUE,
            absent.maxQueuedMessages()),
        section.maxQueuedBytes() == null
            ? absent.maxQueuedBytes()
            : checks.range("mqtt.maxQueuedBytes", section.maxQueuedBytes(), 1, Long.MAX_VALUE),
        // Server Keep Alive and Receive Maximum are Two Byte Integers (3.2.2.3.14, 3.2.2.3.3)
        keepAlive == null ? null : checks.range("mqtt.serverKeepAlive", keepAlive, 0, 65535),
        checks.range(
            "mqtt.receiveMaximum", section.receiveMaximum(), 1, 65535, absent.receiveMaximum()),
        checks.range(
            "mqtt.topicAliasMaximum",
            section.topicAliasMaximum(),
            0,
            65535,
            absent.topicAliasMaximum()),
        checks.range("mqtt.maximumQos", section.maximumQos(), 0, 2, absent.maximumQos()),
        section.embeddedBroker() == null ? absent.embeddedBroker() : section.embeddedBroker());
  }

  private Configuration.Sys sys(ConfigDocument.Sys section, Configuration.Sys absent)
      throws ConfigException {
    if (section == null) {
      return absent;
    }
    return new Configuration.Sys(
        seconds("sys.interval", section.interval(), absent.interval()),
        section.lifecycleEvents() == null ? absent.lifecycleEvents() : section.lifecycleEvents());
  }

  private Configuration.Storage storage(
      ConfigDocument.Storage section, Configuration.Storage absent) throws ConfigException {
    if (section == null) {
      return absent;
    }
    Path dataDir = checks.path("storage.dataDir", section.dataDir());
    Durability durability = absent.durability();
    if (section.durability() != null) {
      try {
        durability = Durability.parse(section.durability());
      } catch (IllegalArgumentException e) {
        throw checks.error(
            "storage.durability",
            "must be fsync, periodic or memory, was '" + section.durability() + "'");
      }
    }
    Duration syncInterval =
        section.syncIntervalMs() == null
            ? absent.syncInterval()
            : Duration.ofMillis(
                checks.range(
                    "storage.syncIntervalMs", section.syncIntervalMs(), 1, Integer.MAX_VALUE));
    return new Configuration.Storage(
        dataDir == null ? absent.dataDir() : dataDir, durability, syncInterval);
  }

  private HttpSettings http(ConfigDocument.Http section, HttpSettings absent)
      throws ConfigException {
    if (section == null) {
      return absent;
    }
    String host = checks.text("http.host", section.host());
    HttpSettings.Tls tls = null;
    if (section.tls() != null) {
      tls =
          new HttpSettings.Tls(
              checks.existingFile(
                  "http.tls.cert", checks.required("http.tls.cert", section.tls().cert())),
              checks.existingFile(
                  "http.tls.key", checks.required("http.tls.key", section.tls().key())));
    }
    return new HttpSettings(
        section.enabled() == null ? absent.enabled() : section.enabled(),
        host == null ? absent.host() : host,
        checks.range("http.port", section.port(), 0, 65535, absent.port()),
        checks.range(
            "http.maxRequestBody",
            section.maxRequestBody(),
            0,
            Integer.MAX_VALUE,
            absent.maxRequestBody()),
        tls,
        section.console() == null ? absent.console() : section.console());
  }

  private Duration seconds(String key, Integer value, Duration absent) throws ConfigException {
    if (value == null) {
      return absent;
    }
    return Duration.ofSeconds(checks.range(key, value, 0, Integer.MAX_VALUE));
  }

  private String logLevel(ConfigDocument.Log section, String absent) throws ConfigException {
    if (section == null || section.level() == null) {
      return absent;
    }
    String level = section.level().toUpperCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      throw checks.error(
          "log.level", "must be TRACE, DEBUG, INFO, WARN or ERROR, was '" + section.level() + "'");
    }
    return level;
  }

  private LogFormat logFormat(ConfigDocument.Log section, LogFormat absent) throws ConfigException {
    if (section == null || section.format() == null) {
      return absent;
    }
    try {
      return LogFormat.parse(section.format());
    } catch (IllegalArgumentException e) {
      throw checks.error("log.format", e.getMessage());
    }
  }
}
