package dev.mqttsidecar.component.remote;

import dev.mqttsidecar.component.endpoint.EndpointSettings;
import dev.mqttsidecar.component.endpoint.EndpointSettings.RetainPolicy;
import dev.mqttsidecar.component.endpoint.EndpointTls;
import dev.mqttsidecar.dapr.InvalidMetadataException;
import dev.mqttsidecar.dapr.MetadataValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a Component in remote mode reaches its broker: the {@code url} list and the connection keys
 * of Azure IoT Operations' dataflow MQTT endpoints. Present only when the metadata has {@code url}.
 *
 * @param caCert PEM CA bundle to trust, or null for the JVM's trusted CAs
 * @param clientCert PEM client certificate chain, or null
 * @param clientKey PEM private key of {@code clientCert}, or null
 * @param password inline password, or null
 * @param tokenFile a JWT read at every connect as the password, or null
 * @param maxBufferedMessages publishes waiting while disconnected; more are refused
 * @param maxBufferedBytes payload bytes waiting while disconnected; more are refused
 */
public record RemoteSettings(
    List<RemoteServer> servers,
    String clientIdPrefix,
    Duration keepAlive,
    Duration sessionExpiry,
    int maxInflight,
    RetainPolicy retain,
    String caCert,
    String clientCert,
    String clientKey,
    String username,
    String password,
    Path tokenFile,
    int maxBufferedMessages,
    long maxBufferedBytes) {

  /** The metadata keys read here (pub/sub and state store ignore them otherwise). */
  public static final Set<String> KEYS =
      Set.of(
          "url",
          "clientIdPrefix",
          "keepAliveSeconds",
          "caCert",
          "clientCert",
          "clientKey",
          "username",
          "password",
          "tokenFile",
          "maxBufferedMessages",
          "maxBufferedBytes");

  static final long DEFAULT_MAX_BUFFERED_BYTES = 64L << 20;

  /**
   * The remote settings of a Component, or null without {@code url} (embedded mode). Reads {@code
   * sessionExpirySeconds}, {@code maxInflightMessages} and {@code retain} too, which the embedded
   * mode shares.
   *
   * @throws InvalidMetadataException naming the first key that cannot be used
   */
  public static RemoteSettings parse(Map<String, String> metadata) {
    MetadataValues m = new MetadataValues(metadata);
    String url = m.get("url");
    if (url == null) {
      return null;
    }
    List<RemoteServer> servers = RemoteServer.parseList(url);
    String prefix = m.string("clientIdPrefix", EndpointSettings.DEFAULT_CLIENT_ID_PREFIX);
    if (prefix.isBlank() || prefix.length() > 64) {
      throw new InvalidMetadataException("clientIdPrefix", "must have 1 to 64 characters");
    }
    String caCert = pem(m, "caCert");
    String clientCert = pem(m, "clientCert");
    String clientKey = pem(m, "clientKey");
    if ((clientCert == null) != (clientKey == null)) {
      throw new InvalidMetadataException(
          clientCert == null ? "clientCert" : "clientKey",
          "clientCert and clientKey go together; only one is set");
    }
    if (caCert != null || clientCert != null) {
      EndpointTls.sslConfigFromPem(caCert, clientCert, clientKey); // fails early, names the key
    }
    String password = m.get("password");
    String token = m.get("tokenFile");
    if (password != null && token != null) {
      throw new InvalidMetadataException(
          "tokenFile", "is the password; set either password or tokenFile");
    }
    Path tokenFile = token == null ? null : Path.of(token);
    if (tokenFile != null && !Files.isReadable(tokenFile)) {
      throw new InvalidMetadataException("tokenFile", "cannot read " + tokenFile);
    }
    return new RemoteSettings(
        servers,
        prefix,
        Duration.ofSeconds(m.integer("keepAliveSeconds", 60, 0, 65535)),
        Duration.ofSeconds(m.integer("sessionExpirySeconds", 3600, 0, Integer.MAX_VALUE)),
        m.integer("maxInflightMessages", EndpointSettings.DEFAULT_MAX_INFLIGHT, 1, 65535),
        retainPolicy(m.get("retain")),
        caCert,
        clientCert,
        clientKey,
        m.get("username"),
        password,
        tokenFile,
        m.integer("maxBufferedMessages", EndpointSettings.DEFAULT_MAX_BUFFERED, 1, 10_000_000),
        m.integer("maxBufferedBytes", (int) DEFAULT_MAX_BUFFERED_BYTES, 1, Integer.MAX_VALUE));
  }

  /** {@code retain} of a remote Component: Keep/Never, or the embedded mode's true/false. */
  private static RetainPolicy retainPolicy(String value) {
    if (value == null) {
      return RetainPolicy.KEEP;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "never" -> RetainPolicy.NEVER;
      default -> RetainPolicy.KEEP;
    };
  }

  private static String pem(MetadataValues m, String key) {
    String value = m.get(key);
    if (value == null || value.isBlank()) {
      return null;
    }
    if (!value.contains("-----BEGIN ")) {
      throw new InvalidMetadataException(key, "must be PEM text (-----BEGIN ...)");
    }
    return value;
  }

  /** The same connection settings for a subscription's own session. */
  RemoteSettings forSession(Duration expiry, int inflight) {
    return new RemoteSettings(
        servers,
        clientIdPrefix,
        keepAlive,
        expiry,
        inflight,
        retain,
        caCert,
        clientCert,
        clientKey,
        username,
        password,
        tokenFile,
        maxBufferedMessages,
        maxBufferedBytes);
  }

  /** Whether TLS settings apply: a TLS server or a CA/client certificate given. */
  boolean usesCustomTls() {
    return caCert != null || clientCert != null;
  }

  @Override
  public String toString() {
    // Never the password or the key.
    return "RemoteSettings[servers="
        + servers
        + ", clientIdPrefix="
        + clientIdPrefix
        + ", keepAlive="
        + keepAlive
        + ", sessionExpiry="
        + sessionExpiry
        + ", maxInflight="
        + maxInflight
        + ", retain="
        + retain
        + ", tls="
        + (usesCustomTls() ? "custom" : "default")
        + ", username="
        + username
        + ", tokenFile="
        + tokenFile
        + ", maxBufferedMessages="
        + maxBufferedMessages
        + ", maxBufferedBytes="
        + maxBufferedBytes
        + "]";
  }
}
