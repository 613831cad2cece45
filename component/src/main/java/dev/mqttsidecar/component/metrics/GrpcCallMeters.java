package dev.mqttsidecar.component.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Dapr's calls over the component socket: one latency histogram per method and status code. The
 * methods are the fixed set of the services the socket serves, and status codes are gRPC's 17, so
 * the series stay bounded. A streaming call (PullMessages) is timed from its start to its end.
 */
final class GrpcCallMeters implements ServerInterceptor {
  private final MeterRegistry registry;
  // Per method, the timers by status code: a registry lookup per call is avoided (a race only
  // looks the same meter up twice).
  private final ConcurrentHashMap<String, Timer[]> timers = new ConcurrentHashMap<>();

  GrpcCallMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    long start = System.nanoTime();
    String method = call.getMethodDescriptor().getFullMethodName();
    return next.startCall(
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            timer(method, status.getCode()).record(Duration.ofNanos(System.nanoTime() - start));
            super.close(status, trailers);
          }
        },
        headers);
  }

  private Timer timer(String method, Status.Code code) {
    Timer[] byCode = timers.computeIfAbsent(method, m -> new Timer[Status.Code.values().length]);
    Timer timer = byCode[code.ordinal()];
    if (timer == null) {
      timer = newTimer(method, code);
      byCode[code.ordinal()] = timer;
    }
    return timer;
  }

  private Timer newTimer(String method, Status.Code code) {
    return Timer.builder("dapr.calls")
        .description("calls daprd made over the component socket, by method and status")
        .tag("method", method)
        .tag("status", code.name())
        .serviceLevelObjectives(LatencyBuckets.BOUNDS)
        .register(registry);
  }
}
