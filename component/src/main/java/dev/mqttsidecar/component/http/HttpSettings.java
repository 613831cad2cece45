package dev.mqttsidecar.component.http;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the HTTP server listens and what it accepts.
 *
 * @param enabled false: no HTTP server at all
 * @param host the address to bind; loopback unless configured
 * @param port 0 picks a free port
 * @param maxRequestBody the largest request body aggregated, in bytes; larger ones get 413
 * @param tls certificate and key for HTTPS, or null for plain HTTP
 * @param console whether the web console is served at {@code /console/}
 */
public record HttpSettings(
    boolean enabled,
    String host,
    int port,
    int maxRequestBody,
    HttpSettings.Tls tls,
    boolean console) {
  /** Clear of Dapr's own ports (3500, 50001, 9090). */
  public static final int DEFAULT_PORT = 9080;

  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Room for the broker's default largest packet (5 MiB) plus headers. */
  public static final int DEFAULT_MAX_REQUEST_BODY = 5 * 1024 * 1024;

  /** What the sidecar runs with unless configured. */
  public static final HttpSettings DEFAULTS =
      new HttpSettings(true, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_REQUEST_BODY, null);

  /** No HTTP server. */
  public static final HttpSettings OFF =
      new HttpSettings(false, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_REQUEST_BODY, null);

  /** With the console on. */
  public HttpSettings(
      boolean enabled, String host, int port, int maxRequestBody, HttpSettings.Tls tls) {
    this(enabled, host, port, maxRequestBody, tls, true);
  }

  public HttpSettings {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("HTTP port must be 0..65535, was " + port);
    }
    if (maxRequestBody < 0) {
      throw new IllegalArgumentException("maxRequestBody must be >= 0, was " + maxRequestBody);
    }
  }

  /** On loopback, a free port: for tests and embedding. */
  public static HttpSettings anyFreePort() {
    return DEFAULTS.withPort(0);
  }

  public HttpSettings withPort(int value) {
    return new HttpSettings(enabled, host, value, maxRequestBody, tls, console);
  }

  public HttpSettings withHost(String value) {
    return new HttpSettings(enabled, value, port, maxRequestBody, tls, console);
  }

  public HttpSettings withMaxRequestBody(int value) {
    return new HttpSettings(enabled, host, port, value, tls, console);
  }

  public HttpSettings withEnabled(boolean value) {
    return new HttpSettings(value, host, port, maxRequestBody, tls, console);
  }

  public HttpSettings withConsole(boolean value) {
    return new HttpSettings(enabled, host, port, maxRequestBody, tls, value);
  }

  /** PEM certificate chain and private key; re-read when they change, as for MQTT listeners. */
  public record Tls(Path cert, Path key) {
    public Tls {
      Objects.requireNonNull(cert, "cert");
      Objects.requireNonNull(key, "key");
    }
  }
}
