package dev.mqttsidecar.component.config;

import dev.mqttsidecar.broker.Authorizer;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.component.http.HttpSettings;
import dev.mqttsidecar.component.socket.SocketPath;
import dev.mqttsidecar.security.AuthenticationSettings;
import dev.mqttsidecar.security.AuthorizationRule;
import dev.mqttsidecar.security.ClientAuthenticator;
import dev.mqttsidecar.security.RuleAuthorizer;
import dev.mqttsidecar.state.aio.AioStateAuthorizer;
import dev.mqttsidecar.state.aio.AioStateService;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Turns the merged {@link Configuration} into the {@link SidecarSettings} the sidecar runs with:
 * decides anonymous access from where the listeners are, and applies the secure default.
 *
 * <p>The secure default: a broker reachable from the network must not be open to anonymous clients
 * by accident. With a listener on a non-loopback address, anonymous access is off unless the file
 * writes {@code anonymous} explicitly; and when that listener has no other way to authenticate
 * either (a password file, JWTs, required client certificates), the start is refused with the
 * reason rather than running a broker nobody may use, or one open to everybody.
 */
public final class SettingsResolver {
  private SettingsResolver() {}

  /**
   * @param socketFolderEnv the value of {@code $DAPR_COMPONENTS_SOCKETS_FOLDER}, or null
   * @throws ConfigException for a host that does not resolve, or a non-loopback listener without
   *     any authentication
   * @throws IllegalArgumentException for values the socket path or the broker refuse
   */
  public static SidecarSettings resolve(Configuration configuration, String socketFolderEnv)
      throws ConfigException {
    Configuration.Socket socket = configuration.socket();
    SocketPath socketPath =
        new SocketPath(SocketPath.resolveFolder(socket.folder(), socketFolderEnv), socket.name());
    Configuration.Authentication authentication = configuration.authentication();
    boolean allLoopback = true;
    for (Listener listener : configuration.listeners()) {
      if (isLoopback(listener, configuration.source())) {
        continue;
      }
      allLoopback = false;
      if (authentication.anonymous() == null && !authenticates(listener, authentication)) {
        throw new ConfigException(
            configuration.source(),
            null,
            "listener '"
                + listener.name()
                + "' binds "
                + listener.host()
                + ", which is not a loopback address, and no authentication is configured;"
                + " anonymous clients are allowed there only when a --config file writes"
                + " authentication.anonymous: true (for a trusted network); otherwise configure"
                + " authentication.passwordFile or authentication.jwt");
      }
    }
    HttpSettings http = configuration.http();
    if (http.enabled() && !isLoopback(http.host(), "the HTTP server", configuration.source())) {
      allLoopback = false;
      if (authentication.anonymous() == null && !authentication.hasCredentials()) {
        throw new ConfigException(
            configuration.source(),
            null,
            "the HTTP server binds "
                + http.host()
                + ", which is not a loopback address, and no authentication is configured;"
                + " anonymous requests are allowed there only when a --config file writes"
                + " authentication.anonymous: true (for a trusted network); otherwise configure"
                + " authentication.passwordFile or authentication.jwt");
      }
    }
    boolean anonymous =
        authentication.anonymous() != null ? authentication.anonymous() : allLoopback;
    AuthenticationSettings authenticationSettings =
        new AuthenticationSettings(anonymous, authentication.passwordFile(), authentication.jwt());
    List<AuthorizationRule> rules = configuration.authorizationRules();
    BrokerConfig broker;
    try {
      broker =
          brokerConfig(configuration)
              .authenticator(new ClientAuthenticator(authenticationSettings, Clock.systemUTC()))
              .authorizer(
                  rules == null
                      ? Authorizer.ALLOW_ALL
                      : new AioStateAuthorizer(new RuleAuthorizer(rules), AioStateService.STORE))
              .build();
    } catch (IllegalArgumentException e) {
      // A password file or key set that does not parse, a rule that does not compile.
      throw new ConfigException(configuration.source(), null, e.getMessage());
    }
    return new SidecarSettings(
        socketPath,
        socket.mode(),
        socket.allowWorldWritableFolder(),
        broker,
        authenticationSettings,
        rules,
        http,
        configuration.shutdownGrace(),
        configuration.dataflows());
  }

  private static boolean isLoopback(Listener listener, String source) throws ConfigException {
    return isLoopback(listener.host(), "listener '" + listener.name() + "'", source);
  }

  private static boolean isLoopback(String host, String what, String source)
      throws ConfigException {
    try {
      return LoopbackAddresses.isLoopback(host);
    } catch (UnknownHostException e) {
      throw new ConfigException(source, null, what + ": unknown host '" + host + "'");
    }
  }

  /** Whether clients of {@code listener} have some way to prove who they are. */
  private static boolean authenticates(
      Listener listener, Configuration.Authentication authentication) {
    return authentication.hasCredentials()
        || (listener.tls() != null && listener.tls().requireClientCert());
  }

  private static BrokerConfig.Builder brokerConfig(Configuration configuration) {
    Configuration.Mqtt mqtt = configuration.mqtt();
    Configuration.Limits limits = configuration.limits();
    Integer keepAlive = mqtt.serverKeepAlive();
    return BrokerConfig.builder()
        .listeners(configuration.listeners())
        .maxConnections(mqtt.maxConnections())
        .maxPacketSize(mqtt.maxPacketSize())
        .maxQueuedMessages(mqtt.maxQueuedMessages())
        .maxQueuedBytes(mqtt.maxQueuedBytes())
        .serverKeepAlive(keepAlive == null ? null : Duration.ofSeconds(keepAlive))
        .receiveMaximum(mqtt.receiveMaximum())
        .topicAliasMaximum(mqtt.topicAliasMaximum())
        .maxTopicLength(limits.maxTopicLength())
        .maxTopicLevels(limits.maxTopicLevels())
        .maxSubscriptionsPerClient(limits.maxSubscriptionsPerClient())
        .quotas(limits.quotas())
        .maxPendingWills(limits.maxPendingWills())
        .sysInterval(configuration.sys().interval())
        .lifecycleEvents(configuration.sys().lifecycleEvents())
        .dataDirectory(configuration.storage().dataDir())
        .durability(configuration.storage().durability())
        .syncInterval(configuration.storage().syncInterval())
        .maximumQos(mqtt.maximumQos());
  }
}
