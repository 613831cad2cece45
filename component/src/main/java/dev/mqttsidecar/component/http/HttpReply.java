package dev.mqttsidecar.component.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A complete response: status, content type, body and extra headers.
 *
 * @param headers extra response headers (for example {@code WWW-Authenticate})
 */
public record HttpReply(
    HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
  public static final String TEXT = "text/plain; charset=utf-8";
  public static final String JSON = "application/json";

  /**
   * The handler wrote (or is writing) the response itself, as a stream: the server writes nothing.
   */
  public static final HttpReply TAKEN_OVER =
      new HttpReply(HttpResponseStatus.OK, TEXT, new byte[0], Map.of());

  public HttpReply {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    headers = Map.copyOf(headers);
  }

  /** A one-line text answer; a newline is added. */
  public static HttpReply text(HttpResponseStatus status, String line) {
    return new HttpReply(status, TEXT, (line + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
  }

  public static HttpReply json(HttpResponseStatus status, String json) {
    return new HttpReply(status, JSON, json.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** This reply with one more header. */
  public HttpReply withHeader(String name, String value) {
    Map<String, String> more = new java.util.LinkedHashMap<>(headers);
    more.put(name, value);
    return new HttpReply(status, contentType, body, more);
  }

  /** This reply as an already completed stage, what most handlers return. */
  public CompletionStage<HttpReply> done() {
    return CompletableFuture.completedFuture(this);
  }
}
