package dev.mqttsidecar.broker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One MQTT listener.
 *
 * @param name how logs, metrics and authorization rules refer to it
 * @param host the address to bind
 * @param port the port to bind; 0 picks a free one
 * @param protocol MQTT over TCP, or over WebSocket (path {@code /mqtt}, subprotocol {@code mqtt})
 * @param tls TLS settings, or null for plain TCP
 */
public record Listener(String name, String host, int port, Protocol protocol, Tls tls) {

  /** The name of the listener a configuration without listeners gets. */
  public static final String DEFAULT_NAME = "default";

  /** What runs on top of TCP (or TLS). */
  public enum Protocol {
    MQTT,
    WEBSOCKET
  }

  /**
   * TLS for a listener. The files are re-read when they change.
   *
   * @param cert PEM certificate chain, the server's certificate first
   * @param key PEM private key: PKCS#8, PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE
   *     KEY}), without passphrase
   * @param clientCa PEM CA bundle that client certificates are verified against, or null: no client
   *     certificates are asked for
   * @param requireClientCert whether a client without a valid certificate is refused during the
   *     handshake (with {@code clientCa} only)
   */
  public record Tls(Path cert, Path key, Path clientCa, boolean requireClientCert) {
    public Tls {
      Objects.requireNonNull(cert, "cert");
      Objects.requireNonNull(key, "key");
      if (requireClientCert && clientCa == null) {
        throw new IllegalArgumentException("requireClientCert needs clientCa");
      }
    }
  }

  public Listener {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(protocol, "protocol");
    if (name.isBlank()) {
      throw new IllegalArgumentException("listener name must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "listener " + name + ": port must be in [0, 65535], was " + port);
    }
  }

  /** A plain MQTT-over-TCP listener named {@value #DEFAULT_NAME}. */
  public static Listener plain(String host, int port) {
    return new Listener(DEFAULT_NAME, host, port, Protocol.MQTT, null);
  }
}
