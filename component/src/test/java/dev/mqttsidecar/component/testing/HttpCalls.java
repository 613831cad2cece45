package dev.mqttsidecar.component.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP requests to a sidecar's HTTP server, with {@link java.net.http.HttpClient}. */
public final class HttpCalls {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private HttpCalls() {}

  public static HttpClient client() {
    return CLIENT;
  }

  /** GET {@code base + path}; the body as text. */
  public static HttpResponse<String> get(URI base, String path)
      throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  /** POST {@code body} to {@code base + path}; the answer as text. */
  public static HttpResponse<String> post(URI base, String path, byte[] body)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** Sends {@code request} with a timeout; the answer as text. */
  public static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return CLIENT.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
