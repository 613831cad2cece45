package dev.mqttsidecar.component.remote;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientReconnector;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import dev.mqttsidecar.component.endpoint.Credentials;
import dev.mqttsidecar.component.endpoint.EndpointSettings.Authentication;
import dev.mqttsidecar.component.endpoint.EndpointTls;
import dev.mqttsidecar.component.endpoint.TokenRenewal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT 5 client of a remote broker under a fixed client identifier, kept connected: clean start
 * off (the session, with what it queued, survives a drop), a failed attempt moves on to the next
 * server of the {@code url} list, a dropped connection retries its server first, with capped
 * exponential backoff once every server failed; credentials are read afresh at each attempt and a
 * JWT is replaced before it expires. While disconnected the client keeps publishes and sends them
 * after the reconnect.
 */
final class BrokerConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BrokerConnection.class);
  static final Duration FIRST_RETRY = Duration.ofMillis(200);
  static final Duration MAX_RETRY = Duration.ofSeconds(10);

  private final RemoteSettings settings;
  private final String clientId;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final MqttClientSslConfig ssl;
  private final Credentials credentials;
  private final TokenRenewal renewal;
  private final Mqtt5AsyncClient client;

  private int server;
  private int failedInRound;
  private int rounds;
  private boolean everConnected;
  private volatile boolean closed;
  private volatile boolean renewing;
  private volatile String tokenInUse;

  /**
   * @param onConnected runs after each successful CONNACK with whether the session was present
   */
  BrokerConnection(
      RemoteSettings settings,
      String clientId,
      ScheduledExecutorService scheduler,
      Consumer<Boolean> onConnected) {
    this.settings = settings;
    this.clientId = clientId;
    this.ssl =
        settings.usesCustomTls()
            ? EndpointTls.sslConfigFromPem(
                settings.caCert(), settings.clientCert(), settings.clientKey())
            : MqttClientSslConfig.builder().build();
    this.credentials =
        new Credentials(
            settings.tokenFile() == null
                ? new Authentication.None()
                : new Authentication.Jwt(settings.username(), settings.tokenFile()),
            System::getenv);
    this.client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(clientId)
            .transportConfig(transport(settings.servers().get(0)))
            .addConnectedListener(
                context -> {
                  boolean present =
                      ((com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext) context)
                          .getConnAck()
                          .isSessionPresent();
                  connected();
                  started.complete(null);
                  onConnected.accept(present);
                })
            .addDisconnectedListener(
                context -> {
                  boolean byUser = context.getSource() == MqttDisconnectSource.USER;
                  if (closed || (byUser && !renewing)) {
                    started.complete(null);
                    return;
                  }
                  // A renewal reconnects to the same server at once; it lost nothing.
                  boolean renewal = byUser;
                  renewing = false;
                  RemoteServer next = renewal ? currentServer() : nextServer(context.getCause());
                  Mqtt5ClientReconnector reconnector =
                      (Mqtt5ClientReconnector) context.getReconnector();
                  reconnector
                      .reconnect(true)
                      .resubscribeIfSessionExpired(false) // the owner subscribes on a new session
                      .republishIfSessionExpired(true)
                      .transportConfig(transport(next))
                      .delay(delay().toMillis(), TimeUnit.MILLISECONDS)
                      .connect(connect());
                  started.complete(null); // reconnecting: the client now keeps publishes
                })
            .buildAsync();
    this.renewal =
        new TokenRenewal(
            clientId,
            credentials,
            scheduler,
            Clock.systemUTC(),
            token -> !closed && token.equals(tokenInUse),
            () -> {
              renewing = true;
              client.disconnect().exceptionally(e -> null);
            });
  }

  Mqtt5AsyncClient client() {
    return client;
  }

  /**
   * Completes once the first connect attempt is over, either way. Before that the client refuses a
   * publish as "not connected"; after it, a publish waits through any reconnect.
   */
  CompletableFuture<Void> started() {
    return started;
  }

  String clientId() {
    return clientId;
  }

  /** Connects in the background; returns at once. */
  void start() {
    log.info("connecting to {} as {}", settings.servers().get(0), clientId);
    client.connect(connect()).exceptionally(e -> null); // the disconnected listener retries
  }

  private MqttClientTransportConfig transport(RemoteServer target) {
    MqttClientTransportConfigBuilder builder =
        MqttClientTransportConfig.builder().serverHost(target.host()).serverPort(target.port());
    if (target.tls()) {
      builder = builder.sslConfig(ssl);
    }
    if (target.webSocketPath() != null) {
      builder =
          builder.webSocketConfig(
              MqttWebSocketConfig.builder().serverPath(target.webSocketPath()).build());
    }
    return builder.build();
  }

  private synchronized void connected() {
    failedInRound = 0;
    rounds = 0;
    everConnected = true;
    log.info("{} connected to {}", clientId, settings.servers().get(server));
    renewal.connectedWith(tokenInUse);
  }

  private synchronized RemoteServer currentServer() {
    return settings.servers().get(server);
  }

  /** After a drop: the same server first; after a failed attempt: the next one. */
  private synchronized RemoteServer nextServer(Throwable cause) {
    int count = settings.servers().size();
    if (everConnected) {
      everConnected = false;
      log.warn(
          "{} lost {}: {}; reconnecting",
          clientId,
          settings.servers().get(server),
          cause == null ? "closed" : cause.getMessage());
    } else {
      log.warn(
          "{} cannot connect to {}: {}",
          clientId,
          settings.servers().get(server),
          cause == null ? "closed" : cause.getMessage());
      server = (server + 1) % count;
      if (++failedInRound >= count) {
        failedInRound = 0;
        rounds++;
      }
    }
    return settings.servers().get(server);
  }

  /** No wait while servers of this round are untried; then backoff doubling per failed round. */
  private synchronized Duration delay() {
    if (failedInRound > 0) {
      return Duration.ZERO;
    }
    long millis = FIRST_RETRY.toMillis() << Math.min(rounds, 16);
    return Duration.ofMillis(Math.min(millis, MAX_RETRY.toMillis()));
  }

  private Mqtt5Connect connect() {
    Mqtt5ConnectBuilder builder =
        Mqtt5Connect.builder()
            .cleanStart(false)
            .sessionExpiryInterval(settings.sessionExpiry().toSeconds())
            .keepAlive((int) settings.keepAlive().toSeconds())
            .restrictions()
            .receiveMaximum(settings.maxInflight())
            .sendMaximum(settings.maxInflight())
            .applyRestrictions();
    String username = settings.username();
    byte[] password =
        settings.password() == null ? null : settings.password().getBytes(StandardCharsets.UTF_8);
    if (settings.tokenFile() != null) {
      try {
        String token = credentials.token();
        tokenInUse = token;
        password = token.getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        log.warn("{}: {}", clientId, e.getMessage()); // tried without; the refusal shows
      }
    }
    if (username != null || password != null) {
      Mqtt5SimpleAuthBuilder.Complete auth =
          username != null
              ? Mqtt5SimpleAuth.builder().username(username)
              : Mqtt5SimpleAuth.builder().password(password);
      if (username != null && password != null) {
        auth = auth.password(password);
      }
      builder = builder.simpleAuth(auth.build());
    }
    return builder.build();
  }

  /** Disconnects for good; the broker keeps the session for its expiry. */
  @Override
  public void close() {
    closed = true;
    client.disconnect().exceptionally(e -> null);
  }

  /**
   * Disconnects for good and ends the session at the broker: a DISCONNECT may shorten a non-zero
   * Session Expiry Interval to 0 [MQTT 5.0 §3.14.2.2.2], so nothing of it is resumed later.
   */
  void closeAndEndSession() {
    closed = true;
    client.disconnectWith().sessionExpiryInterval(0).send().exceptionally(e -> null);
  }
}
