package dev.mqttsidecar.component.metrics;

import dev.mqttsidecar.component.dataflow.DataflowStatus;
import dev.mqttsidecar.component.dataflow.Dataflows;
import dev.mqttsidecar.component.endpoint.EndpointStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Endpoints' connection state and counters and dataflows' counters, read from one status snapshot
 * per scrape. The names are those of the configuration file, a fixed set after start.
 */
final class DataflowMeters implements SnapshotBinder {
  private final Dataflows dataflows;
  private volatile Map<String, EndpointStatus> endpoints = Map.of();
  private volatile Map<String, DataflowStatus> flows = Map.of();

  DataflowMeters(Dataflows dataflows) {
    this.dataflows = dataflows;
  }

  @Override
  public void takeSnapshot(MeterRegistry registry) {
    Map<String, EndpointStatus> endpointsNow = new HashMap<>();
    dataflows.endpoints().forEach(e -> endpointsNow.put(e.name(), e));
    Map<String, DataflowStatus> flowsNow = new HashMap<>();
    dataflows.flows().forEach(f -> flowsNow.put(f.name(), f));
    endpoints = endpointsNow;
    flows = flowsNow;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    takeSnapshot(registry);
    for (EndpointStatus endpoint : endpoints.values()) {
      String name = endpoint.name();
      Gauge.builder(
              "endpoint.connected",
              this,
              m -> m.endpoint(name).state() == EndpointStatus.State.CONNECTED ? 1 : 0)
          .description("1 while the endpoint's connection is up")
          .tag("endpoint", name)
          .register(registry);
      endpointGauge(
          registry,
          name,
          "endpoint.inflight.messages",
          "publishes not yet acknowledged",
          EndpointStatus::inFlight);
      endpointGauge(
          registry,
          name,
          "endpoint.queued.messages",
          "publishes waiting for the connection",
          EndpointStatus::queued);
      endpointCounter(
          registry,
          name,
          "endpoint.messages.forwarded",
          "publishes the endpoint acknowledged",
          EndpointStatus::forwarded);
      endpointCounter(
          registry,
          name,
          "endpoint.messages.received",
          "messages received at its subscriptions",
          EndpointStatus::received);
      endpointCounter(
          registry,
          name,
          "endpoint.messages.refused",
          "publishes the endpoint refused",
          EndpointStatus::refused);
      endpointCounter(
          registry,
          name,
          "endpoint.messages.overflow",
          "publishes turned away: queue full",
          EndpointStatus::overflow);
      endpointCounter(
          registry, name, "endpoint.connects", "successful connects", EndpointStatus::connects);
    }
    for (DataflowStatus flow : flows.values()) {
      String name = flow.name();
      flowCounter(registry, name, "forwarded", DataflowStatus::forwarded);
      flowCounter(registry, name, "failed", DataflowStatus::failed);
      flowCounter(registry, name, "refused", DataflowStatus::refused);
      flowCounter(registry, name, "dropped", DataflowStatus::dropped);
      flowCounter(registry, name, "dead_lettered", DataflowStatus::deadLettered);
      flowCounter(registry, name, "looped", DataflowStatus::looped);
      Gauge.builder("dataflow.waiting.messages", this, m -> m.flow(name).waiting())
          .description("messages read and not yet settled with the source")
          .tag("dataflow", name)
          .register(registry);
    }
  }

  private EndpointStatus endpoint(String name) {
    return endpoints.get(name);
  }

  private DataflowStatus flow(String name) {
    return flows.get(name);
  }

  private void endpointGauge(
      MeterRegistry registry,
      String endpoint,
      String meter,
      String help,
      ToDoubleFunction<EndpointStatus> f) {
    Gauge.builder(meter, this, m -> f.applyAsDouble(m.endpoint(endpoint)))
        .description(help)
        .tag("endpoint", endpoint)
        .register(registry);
  }

  private void endpointCounter(
      MeterRegistry registry,
      String endpoint,
      String meter,
      String help,
      ToDoubleFunction<EndpointStatus> f) {
    FunctionCounter.builder(meter, this, m -> f.applyAsDouble(m.endpoint(endpoint)))
        .description(help)
        .tag("endpoint", endpoint)
        .register(registry);
  }

  private void flowCounter(
      MeterRegistry registry, String flow, String outcome, ToDoubleFunction<DataflowStatus> f) {
    FunctionCounter.builder("dataflow.messages", this, m -> f.applyAsDouble(m.flow(flow)))
        .description("messages of the dataflow by outcome")
        .tag("dataflow", flow)
        .tag("outcome", outcome)
        .register(registry);
  }
}
