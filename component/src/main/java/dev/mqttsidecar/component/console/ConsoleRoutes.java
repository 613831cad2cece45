package dev.mqttsidecar.component.console;

import dev.mqttsidecar.component.http.HttpCredentials;
import dev.mqttsidecar.component.http.HttpExchange;
import dev.mqttsidecar.component.http.HttpHandler;
import dev.mqttsidecar.component.http.HttpIdentity;
import dev.mqttsidecar.component.http.HttpReply;
import dev.mqttsidecar.component.http.HttpRoutes;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The console on the sidecar's HTTP server: the page and its files under {@code /console/}, the
 * JSON API under {@code /console/api/} and the live view's event stream at {@code
 * /console/api/live}. Every request is authenticated as an MQTT client would be (HTTP Basic or a
 * Bearer JWT), and what it may see or change follows that identity's permissions.
 */
public final class ConsoleRoutes implements HttpHandler {
  public static final String PATH = "/console";
  private static final String API = "api/";

  private final ConsoleApi api;
  private final HttpCredentials credentials;
  private final Function<LiveRequest, LiveView> liveViews;

  /** What a live view is asked for: a filter, and whom to tell when messages arrive. */
  public record LiveRequest(String filter, Runnable onAvailable) {}

  public ConsoleRoutes(
      ConsoleApi api, HttpCredentials credentials, Function<LiveRequest, LiveView> liveViews) {
    this.api = api;
    this.credentials = credentials;
    this.liveViews = liveViews;
  }

  /** Adds the console's routes. */
  public void register(HttpRoutes routes) {
    routes.get(PATH, this);
    for (HttpMethod method :
        new HttpMethod[] {HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE}) {
      routes.add(method, PATH + "/*", this);
    }
  }

  @Override
  public CompletionStage<HttpReply> handle(HttpExchange exchange) {
    if (exchange.path().equals(PATH)) {
      return reply(new ConsoleResponse(301, HttpReply.TEXT, new byte[0]))
          .withHeader(HttpHeaderNames.LOCATION.toString(), PATH + "/")
          .done();
    }
    // The request is released once this returns: read its body before authentication completes.
    byte[] body = exchange.body();
    return credentials
        .authenticate(exchange)
        .thenCompose(
            verdict ->
                verdict.accepted()
                    ? serve(exchange, body, access(verdict.identity()))
                    : verdict.refusal().done());
  }

  private CompletionStage<HttpReply> serve(
      HttpExchange exchange, byte[] body, ConsoleAccess access) {
    String rest = exchange.remainder();
    if (!rest.startsWith(API)) {
      if (!exchange.method().equals(HttpMethod.GET)) {
        return reply(ConsoleResponse.error(405, "the console's files are read with GET")).done();
      }
      return reply(
              ConsoleAssets.file(rest)
                  .orElseGet(() -> ConsoleResponse.error(404, "no console file " + rest)))
          .done();
    }
    String route = rest.substring(API.length());
    Map<String, String> query = new HashMap<>();
    exchange.query().forEach((name, values) -> query.put(name, values.get(0)));
    if (route.equals("live") && exchange.method().equals(HttpMethod.GET)) {
      String filter = query.getOrDefault("filter", "");
      exchange
          .context()
          .executor()
          .execute(() -> LiveStream.start(exchange.context(), wake -> live(filter, access, wake)));
      return CompletableFuture.completedFuture(HttpReply.TAKEN_OVER);
    }
    ConsoleRequest request =
        new ConsoleRequest(exchange.method().name(), route, query, body, access);
    return api.handle(request).thenApply(ConsoleRoutes::reply);
  }

  private LiveView live(String filter, ConsoleAccess access, Runnable onAvailable) {
    if (filter.isEmpty()) {
      throw new BadRequest("query parameter 'filter' is required");
    }
    if (!access.mayRead(filter)) {
      throw new BadRequest(access.who() + " may not subscribe to " + filter);
    }
    return liveViews.apply(new LiveRequest(filter, onAvailable));
  }

  private ConsoleAccess access(HttpIdentity identity) {
    return new ConsoleAccess() {
      @Override
      public boolean mayRead(String filter) {
        return credentials.maySubscribe(identity, filter);
      }

      @Override
      public boolean mayWrite(String topic) {
        return credentials.mayPublish(identity, topic);
      }

      @Override
      public String who() {
        return identity.clientId();
      }
    };
  }

  private static HttpReply reply(ConsoleResponse r) {
    return new HttpReply(
        HttpResponseStatus.valueOf(r.status()),
        r.contentType(),
        r.body(),
        Map.of(
            "Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff",
            // Everything the page needs comes from here: no inline script, no other origin.
            "Content-Security-Policy", "default-src 'self'"));
  }
}
