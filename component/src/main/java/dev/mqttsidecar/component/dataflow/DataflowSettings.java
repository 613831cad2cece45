package dev.mqttsidecar.component.dataflow;

import dev.mqttsidecar.component.endpoint.EndpointSettings;
import java.util.List;

/** The endpoints and the dataflows between them and the embedded broker. */
public record DataflowSettings(List<EndpointSettings> endpoints, List<FlowSettings> flows) {
  public static final DataflowSettings NONE = new DataflowSettings(List.of(), List.of());

  public DataflowSettings {
    endpoints = List.copyOf(endpoints);
    flows = List.copyOf(flows);
  }

  public boolean isEmpty() {
    return flows.isEmpty();
  }
}
