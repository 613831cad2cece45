package dev.mqttsidecar.component.remote;

import dev.mqttsidecar.dapr.InvalidMetadataException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One server of a Component's {@code url}: {@code tcp://}, {@code ssl://} or {@code mqtts://},
 * {@code ws://} or {@code wss://}, as Dapr's {@code pubsub.mqtt3} accepts them.
 *
 * @param webSocketPath the HTTP path of a WebSocket server, or null for MQTT over TCP
 */
public record RemoteServer(String host, int port, boolean tls, String webSocketPath) {

  /**
   * Parses a comma-separated list of servers, in failover order.
   *
   * @throws InvalidMetadataException naming the server that cannot be used
   */
  public static List<RemoteServer> parseList(String urls) {
    List<RemoteServer> servers = new ArrayList<>();
    for (String part : urls.split(",")) {
      if (!part.isBlank()) {
        servers.add(parse(part.strip()));
      }
    }
    if (servers.isEmpty()) {
      throw new InvalidMetadataException("url", "names no server");
    }
    return List.copyOf(servers);
  }

  static RemoteServer parse(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidMetadataException("url", "'" + url + "' is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null) {
      throw new InvalidMetadataException("url", "'" + url + "' names no host");
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/mqtt" : uri.getPath();
    return switch (scheme) {
      case "tcp", "mqtt" -> new RemoteServer(uri.getHost(), port(uri, 1883), false, null);
      case "ssl", "mqtts", "tls" -> new RemoteServer(uri.getHost(), port(uri, 8883), true, null);
      case "ws" -> new RemoteServer(uri.getHost(), port(uri, 80), false, path);
      case "wss" -> new RemoteServer(uri.getHost(), port(uri, 443), true, path);
      default ->
          throw new InvalidMetadataException(
              "url",
              "'"
                  + url
                  + "': the scheme must be tcp://, ssl://, mqtts://, ws:// or wss://, not '"
                  + scheme
                  + "'");
    };
  }

  private static int port(URI uri, int fallback) {
    return uri.getPort() == -1 ? fallback : uri.getPort();
  }

  @Override
  public String toString() {
    String scheme = webSocketPath == null ? (tls ? "ssl" : "tcp") : (tls ? "wss" : "ws");
    return scheme + "://" + host + ":" + port + (webSocketPath == null ? "" : webSocketPath);
  }
}
