package dev.mqttsidecar.component.endpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach another MQTT broker: address, transport, TLS, credentials and session. Independent
 * of what the connection is used for, so dataflows and any other bridge share one definition.
 *
 * @param name how configuration and logs name the endpoint
 * @param tls null for plain TCP
 * @param clientIdPrefix the client identifier is this prefix, a dash and a suffix that stays the
 *     same across restarts (so a persistent session resumes)
 * @param qos 0 or 1: the QoS of publishes to and subscriptions at the endpoint
 * @param maxInflightMessages unacknowledged QoS 1 publishes at once, each way
 * @param maxBufferedMessages messages waiting for the connection; beyond it they are refused
 */
public record EndpointSettings(
    String name,
    String host,
    int port,
    Transport transport,
    String webSocketPath,
    MqttVersion mqttVersion,
    Tls tls,
    Authentication authentication,
    String clientIdPrefix,
    int qos,
    RetainPolicy retain,
    Duration sessionExpiry,
    Duration keepAlive,
    int maxInflightMessages,
    int maxBufferedMessages) {

  public static final String DEFAULT_CLIENT_ID_PREFIX = "mqtt-sidecar";
  public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofSeconds(3600);
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(60);
  public static final int DEFAULT_MAX_INFLIGHT = 100;
  public static final int DEFAULT_MAX_BUFFERED = 10_000;

  public EndpointSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(mqttVersion, "mqttVersion");
    Objects.requireNonNull(authentication, "authentication");
    Objects.requireNonNull(clientIdPrefix, "clientIdPrefix");
    Objects.requireNonNull(retain, "retain");
    Objects.requireNonNull(sessionExpiry, "sessionExpiry");
    Objects.requireNonNull(keepAlive, "keepAlive");
    if (qos < 0 || qos > 1) {
      throw new IllegalArgumentException("qos must be 0 or 1, was " + qos);
    }
  }

  /** A plain, anonymous MQTT 5 endpoint with every default, for embedding and tests. */
  public static EndpointSettings of(String name, String host, int port) {
    return new EndpointSettings(
        name,
        host,
        port,
        Transport.MQTT,
        "/mqtt",
        MqttVersion.MQTT_5,
        null,
        new Authentication.None(),
        DEFAULT_CLIENT_ID_PREFIX,
        1,
        RetainPolicy.KEEP,
        DEFAULT_SESSION_EXPIRY,
        DEFAULT_KEEP_ALIVE,
        DEFAULT_MAX_INFLIGHT,
        DEFAULT_MAX_BUFFERED);
  }

  public enum Transport {
    MQTT,
    WEBSOCKETS
  }

  public enum MqttVersion {
    MQTT_5,
    MQTT_3_1_1
  }

  /** Whether the RETAIN flag of a forwarded message is kept or always cleared. */
  public enum RetainPolicy {
    KEEP,
    NEVER
  }

  /**
   * @param trustedCaFile PEM CA bundle; null: the JVM's trusted CAs
   * @param certFile PEM client certificate chain, or null
   * @param keyFile PEM private key of {@code certFile}
   */
  public record Tls(Path trustedCaFile, Path certFile, Path keyFile) {}

  /** How the connection proves who it is. */
  public sealed interface Authentication {
    /** No credentials in CONNECT. */
    record None() implements Authentication {}

    /** Username and a password read at each connect from a file or an environment variable. */
    record UsernamePassword(String username, Path passwordFile, String passwordEnv)
        implements Authentication {}

    /** The TLS client certificate alone. */
    record X509() implements Authentication {}

    /**
     * A JWT read from {@code tokenFile} as the CONNECT password (the username, if any, beside it);
     * re-read and the connection renewed before the token expires.
     */
    record Jwt(String username, Path tokenFile) implements Authentication {}
  }
}
