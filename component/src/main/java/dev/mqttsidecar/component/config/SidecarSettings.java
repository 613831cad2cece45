package dev.mqttsidecar.component.config;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.component.dataflow.DataflowSettings;
import dev.mqttsidecar.component.http.HttpSettings;
import dev.mqttsidecar.component.socket.SocketPath;
import dev.mqttsidecar.security.AuthenticationSettings;
import dev.mqttsidecar.security.AuthorizationRule;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the running sidecar needs, decided: built once at start from the configuration file
 * and the command line, immutable afterwards.
 *
 * @param socketMode the component socket file's permissions
 * @param allowWorldWritableSocketFolder accept a sockets folder every user may write
 * @param broker the embedded broker's configuration
 * @param authentication who may connect, with the anonymous default resolved
 * @param authorizationRules who may publish and subscribe where; first match wins; null: everyone
 *     everywhere
 * @param http the HTTP server
 * @param shutdownGrace how long running calls may finish after SIGTERM
 * @param dataflows the endpoints and dataflows to run
 */
public record SidecarSettings(
    SocketPath socketPath,
    Set<PosixFilePermission> socketMode,
    boolean allowWorldWritableSocketFolder,
    BrokerConfig broker,
    AuthenticationSettings authentication,
    List<AuthorizationRule> authorizationRules,
    HttpSettings http,
    Duration shutdownGrace,
    DataflowSettings dataflows) {

  public SidecarSettings {
    Objects.requireNonNull(socketPath, "socketPath");
    socketMode = Set.copyOf(socketMode);
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(authentication, "authentication");
    authorizationRules = authorizationRules == null ? null : List.copyOf(authorizationRules);
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(dataflows, "dataflows");
  }

  /** These settings with {@code value} for the HTTP server. */
  public SidecarSettings withHttp(HttpSettings value) {
    return new SidecarSettings(
        socketPath,
        socketMode,
        allowWorldWritableSocketFolder,
        broker,
        authentication,
        authorizationRules,
        value,
        shutdownGrace,
        dataflows);
  }

  /**
   * The defaults around a socket and a broker configuration, for embedding and tests: socket mode
   * 0660, anonymous clients, no rules (as {@code broker} says: its authenticator and authorizer are
   * used as they are), the HTTP server on a free loopback port.
   */
  public static SidecarSettings of(
      SocketPath socketPath, BrokerConfig broker, Duration shutdownGrace) {
    return new SidecarSettings(
        socketPath,
        Configuration.DEFAULT_SOCKET_MODE,
        false,
        broker,
        new AuthenticationSettings(true, null, null),
        null,
        HttpSettings.anyFreePort(),
        shutdownGrace,
        DataflowSettings.NONE);
  }

  /** The same settings running {@code value}'s endpoints and dataflows. */
  public SidecarSettings withDataflows(DataflowSettings value) {
    return new SidecarSettings(
        socketPath,
        socketMode,
        allowWorldWritableSocketFolder,
        broker,
        authentication,
        authorizationRules,
        http,
        shutdownGrace,
        value);
  }
}
