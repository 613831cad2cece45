package dev.mqttsidecar.component.metrics;

import dev.mqttsidecar.component.http.HttpCredentials;
import dev.mqttsidecar.component.http.HttpExchange;
import dev.mqttsidecar.component.http.HttpHandler;
import dev.mqttsidecar.component.http.HttpReply;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /metrics}: the Prometheus text format, or OpenMetrics when the scraper asks for it.
 * The numbers are those of {@code $SYS}, so the same rule guards them: a caller must authenticate
 * as MQTT clients do and be allowed to subscribe to {@code $SYS/#} (anyone, when the broker lets
 * anonymous clients read everything).
 */
final class MetricsRoute implements HttpHandler {
  static final String PATH = "/metrics";
  private static final String SYS = "$SYS/#";
  private static final String OPEN_METRICS = "application/openmetrics-text";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Scraper scraper;
  private final HttpCredentials credentials;

  MetricsRoute(Scraper scraper, HttpCredentials credentials) {
    this.scraper = scraper;
    this.credentials = credentials;
  }

  @Override
  public CompletionStage<HttpReply> handle(HttpExchange exchange) {
    return credentials
        .authenticate(exchange)
        .thenCompose(
            verdict -> {
              if (!verdict.accepted()) {
                return verdict.refusal().done();
              }
              if (!credentials.maySubscribe(verdict.identity(), SYS)) {
                return HttpReply.text(HttpResponseStatus.FORBIDDEN, "not authorized to read " + SYS)
                    .done();
              }
              return scrape(exchange);
            });
  }

  private CompletionStage<HttpReply> scrape(HttpExchange exchange) {
    String accept = exchange.headers().get(HttpHeaderNames.ACCEPT);
    String type =
        accept != null && accept.contains(OPEN_METRICS)
            ? OPEN_METRICS + "; version=1.0.0; charset=utf-8"
            : PROMETHEUS_TEXT;
    return scraper
        .scrape(type)
        .thenApply(text -> new HttpReply(HttpResponseStatus.OK, type, text, Map.of()));
  }
}
