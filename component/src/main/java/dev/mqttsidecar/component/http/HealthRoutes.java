package dev.mqttsidecar.component.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/**
 * The Kubernetes probes. {@code /healthz}: 200 while the process serves HTTP at all (liveness).
 * {@code /readyz}: 200 when {@link Readiness} has nothing to report, else 503 with the reasons, one
 * per line (readiness).
 */
public final class HealthRoutes {
  private HealthRoutes() {}

  public static void register(HttpRoutes routes, Readiness readiness) {
    routes.get("/healthz", exchange -> HttpReply.text(HttpResponseStatus.OK, "ok").done());
    routes.get(
        "/readyz",
        exchange -> {
          List<String> reasons = readiness.notReady();
          return (reasons.isEmpty()
                  ? HttpReply.text(HttpResponseStatus.OK, "ready")
                  : HttpReply.text(
                      HttpResponseStatus.SERVICE_UNAVAILABLE,
                      "not ready: " + String.join("; ", reasons)))
              .done();
        });
  }
}
