package dev.mqttsidecar.component.config;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.Quotas;
import dev.mqttsidecar.component.dataflow.DataflowSettings;
import dev.mqttsidecar.component.http.HttpSettings;
import dev.mqttsidecar.component.logging.LogFormat;
import dev.mqttsidecar.security.AuthenticationSettings.JwtSettings;
import dev.mqttsidecar.security.AuthorizationRule;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the configuration file and the command line say, checked and with every default filled in;
 * the few choices that depend on the final listeners (anonymous access) are still open. {@link
 * SettingsResolver} turns it into {@link SidecarSettings}.
 *
 * @param source the configuration file as given with {@code --config}, or null without one
 * @param listeners at least one
 * @param authorizationRules first match wins; null without an {@code authorization} section (every
 *     client may publish and subscribe everywhere)
 * @param http the HTTP server (health, metrics, publish)
 * @param logLevel TRACE, DEBUG, INFO, WARN or ERROR
 * @param logFormat how log lines are written
 * @param dataflows the endpoints and dataflows; {@link DataflowSettings#NONE} without any
 */
public record Configuration(
    String source,
    Socket socket,
    List<Listener> listeners,
    Authentication authentication,
    List<AuthorizationRule> authorizationRules,
    Mqtt mqtt,
    Limits limits,
    Sys sys,
    Storage storage,
    HttpSettings http,
    Duration shutdownGrace,
    String logLevel,
    LogFormat logFormat,
    DataflowSettings dataflows) {

  /** Component socket mode unless configured: the owner and its group may connect. */
  public static final Set<PosixFilePermission> DEFAULT_SOCKET_MODE = FileMode.parse("0660");

  public static final String DEFAULT_NAME = "mqtt-sidecar";
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
  public static final String DEFAULT_LOG_LEVEL = "INFO";

  public Configuration {
    Objects.requireNonNull(socket, "socket");
    listeners = List.copyOf(listeners);
    Objects.requireNonNull(authentication, "authentication");
    authorizationRules = authorizationRules == null ? null : List.copyOf(authorizationRules);
    Objects.requireNonNull(mqtt, "mqtt");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(sys, "sys");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(logLevel, "logLevel");
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(dataflows, "dataflows");
  }

  /**
   * @param folder the sockets folder, or null: {@code $DAPR_COMPONENTS_SOCKETS_FOLDER}, else
   *     daprd's default
   * @param mode the socket file's permissions
   * @param allowWorldWritableFolder accept a sockets folder every user may write (a Kubernetes
   *     emptyDir shared by the pod's containers)
   */
  public record Socket(
      Path folder, String name, Set<PosixFilePermission> mode, boolean allowWorldWritableFolder) {
    public Socket {
      Objects.requireNonNull(name, "name");
      mode = Set.copyOf(mode);
    }
  }

  /**
   * @param anonymous as written in the file, or null when it is not: then it depends on where the
   *     listeners are
   */
  public record Authentication(Boolean anonymous, Path passwordFile, JwtSettings jwt) {
    static final Authentication NONE = new Authentication(null, null, null);

    /** Whether some way for a client to prove who it is has been configured. */
    public boolean hasCredentials() {
      return passwordFile != null || jwt != null;
    }
  }

  /**
   * @param maxQueuedBytes payload bytes queued per session or shared group
   * @param serverKeepAlive seconds, or null: the client's own keep alive
   * @param maximumQos the highest QoS the broker grants (0..2)
   * @param embeddedBroker false: no broker, only the component socket (remote mode)
   */
  public record Mqtt(
      int maxConnections,
      int maxPacketSize,
      int maxQueuedMessages,
      long maxQueuedBytes,
      Integer serverKeepAlive,
      int receiveMaximum,
      int topicAliasMaximum,
      int maximumQos,
      boolean embeddedBroker) {
    /** With the embedded broker and the default byte bound of queues. */
    public Mqtt(
        int maxConnections,
        int maxPacketSize,
        int maxQueuedMessages,
        Integer serverKeepAlive,
        int receiveMaximum,
        int topicAliasMaximum,
        int maximumQos) {
      this(
          maxConnections,
          maxPacketSize,
          maxQueuedMessages,
          BrokerConfig.DEFAULT_MAX_QUEUED_BYTES,
          serverKeepAlive,
          receiveMaximum,
          topicAliasMaximum,
          maximumQos,
          true);
    }

    /** The broker's own defaults, so the file and the embedding API agree. */
    static Mqtt defaults() {
      BrokerConfig broker = BrokerConfig.defaults();
      return new Mqtt(
          broker.maxConnections(),
          broker.maxPacketSize(),
          broker.maxQueuedMessages(),
          null,
          broker.receiveMaximum(),
          broker.topicAliasMaximum(),
          2);
    }
  }

  /**
   * @param maxTopicLength longest topic name or filter, in UTF-8 bytes
   * @param maxTopicLevels most levels of a topic name or filter
   * @param maxSubscriptionsPerClient topic filters one session may hold
   * @param quotas bounds on retained messages and persistent sessions
   * @param maxPendingWills wills held at once, of live connections and waiting for their delay
   */
  public record Limits(
      int maxTopicLength,
      int maxTopicLevels,
      int maxSubscriptionsPerClient,
      Quotas quotas,
      int maxPendingWills) {
    public Limits {
      Objects.requireNonNull(quotas, "quotas");
    }

    /** The broker's own defaults, so the file and the embedding API agree. */
    static Limits defaults() {
      BrokerConfig broker = BrokerConfig.defaults();
      return new Limits(
          broker.maxTopicLength(),
          broker.maxTopicLevels(),
          broker.maxSubscriptionsPerClient(),
          broker.quotas(),
          broker.maxPendingWills());
    }
  }

  /**
   * @param interval how often {@code $SYS} statistics are published; zero: never
   */
  public record Sys(Duration interval, boolean lifecycleEvents) {
    static Sys defaults() {
      BrokerConfig broker = BrokerConfig.defaults();
      return new Sys(broker.sysInterval(), broker.lifecycleEvents());
    }
  }

  public record Storage(Path dataDir, Durability durability, Duration syncInterval) {
    static Storage defaults() {
      BrokerConfig broker = BrokerConfig.defaults();
      return new Storage(broker.dataDirectory(), broker.durability(), broker.syncInterval());
    }
  }

  /** Every default: what the sidecar runs with given neither a file nor options. */
  public static Configuration defaults() {
    return new Configuration(
        null,
        new Socket(null, DEFAULT_NAME, DEFAULT_SOCKET_MODE, false),
        BrokerConfig.defaults().listeners(),
        Authentication.NONE,
        null,
        Mqtt.defaults(),
        Limits.defaults(),
        Sys.defaults(),
        Storage.defaults(),
        HttpSettings.DEFAULTS,
        DEFAULT_SHUTDOWN_GRACE,
        DEFAULT_LOG_LEVEL,
        LogFormat.TEXT,
        DataflowSettings.NONE);
  }

  public Configuration withSocket(Socket value) {
    return new Configuration(
        source,
        value,
        listeners,
        authentication,
        authorizationRules,
        mqtt,
        limits,
        sys,
        storage,
        http,
        shutdownGrace,
        logLevel,
        logFormat,
        dataflows);
  }

  public Configuration withListeners(List<Listener> value) {
    return new Configuration(
        source,
        socket,
        value,
        authentication,
        authorizationRules,
        mqtt,
        limits,
        sys,
        storage,
        http,
        shutdownGrace,
        logLevel,
        logFormat,
        dataflows);
  }

  public Configuration withMqtt(Mqtt value) {
    return new Configuration(
        source,
        socket,
        listeners,
        authentication,
        authorizationRules,
        value,
        limits,
        sys,
        storage,
        http,
        shutdownGrace,
        logLevel,
        logFormat,
        dataflows);
  }

  public Configuration withSys(Sys value) {
    return new Configuration(
        source,
        socket,
        listeners,
        authentication,
        authorizationRules,
        mqtt,
        limits,
        value,
        storage,
        http,
        shutdownGrace,
        logLevel,
        logFormat,
        dataflows);
  }

  public Configuration withStorage(Storage value) {
    return new Configuration(
        source,
        socket,
        listeners,
        authentication,
        authorizationRules,
        mqtt,
        limits,
        sys,
        value,
        http,
        shutdownGrace,
        logLevel,
        logFormat,
        dataflows);
  }

  public Configuration withHttp(HttpSettings value) {
    return new Configuration(
        source,
        socket,
        listeners,
        authentication,
        authorizationRules,
        mqtt,
        limits,
        sys,
        storage,
        value,
        shutdownGrace,
        logLevel,
        logFormat,
        dataflows);
  }

  public Configuration withShutdownGrace(Duration value) {
    return new Configuration(
        source,
        socket,
        listeners,
        authentication,
        authorizationRules,
        mqtt,
        limits,
        sys,
        storage,
        http,
        value,
        logLevel,
        logFormat,
        dataflows);
  }

  public Configuration withLogLevel(String value) {
    return new Configuration(
        source,
        socket,
        listeners,
        authentication,
        authorizationRules,
        mqtt,
        limits,
        sys,
        storage,
        http,
        shutdownGrace,
        value,
        logFormat,
        dataflows);
  }

  public Configuration withLogFormat(LogFormat value) {
    return new Configuration(
        source,
        socket,
        listeners,
        authentication,
        authorizationRules,
        mqtt,
        limits,
        sys,
        storage,
        http,
        shutdownGrace,
        logLevel,
        value,
        dataflows);
  }
}
