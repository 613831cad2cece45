package dev.mqttsidecar.component.config;

import dev.mqttsidecar.component.dataflow.CloudEventsHandling;
import dev.mqttsidecar.component.endpoint.EndpointSettings;
import java.util.List;

/**
 * A dataflow's {@code cloudEventAttributes} (its own, else its destination endpoint's, else
 * Propagate) and {@code cloudEvents} mode. Binary mode needs user properties, which MQTT 3.1.1 does
 * not have, so it is refused toward a 3.1.1 endpoint.
 */
final class CloudEventsBinder {
  private final Checks checks;

  CloudEventsBinder(Checks checks) {
    this.checks = checks;
  }

  CloudEventsHandling bind(
      String key,
      DataflowsDocument.Dataflow f,
      String destinationEndpoint,
      List<EndpointSettings> endpoints,
      List<DataflowsDocument.Endpoint> endpointEntries)
      throws ConfigException {
    String attributes = f.cloudEventAttributes();
    String attributesKey = key + ".cloudEventAttributes";
    int destination = indexOf(endpoints, destinationEndpoint);
    if (attributes == null && destination >= 0) {
      attributes = endpointEntries.get(destination).cloudEventAttributes();
      attributesKey = "endpoints[" + destination + "].cloudEventAttributes";
    }
    boolean createOrRemap = createOrRemap(attributesKey, attributes);
    CloudEventsHandling.Mode mode = mode(key + ".cloudEvents", f.cloudEvents());
    if (createOrRemap
        && mode == CloudEventsHandling.Mode.BINARY
        && destination >= 0
        && endpoints.get(destination).mqttVersion() != EndpointSettings.MqttVersion.MQTT_5) {
      throw checks.error(
          key + ".cloudEvents",
          "Binary needs MQTT 5 user properties, but endpoint '"
              + destinationEndpoint
              + "' speaks MQTT 3.1.1; write cloudEvents: Structured");
    }
    return createOrRemap ? new CloudEventsHandling(true, mode) : CloudEventsHandling.PROPAGATE;
  }

  /** Each endpoint's value, checked even when no flow writes to the endpoint. */
  void checkEndpoints(List<DataflowsDocument.Endpoint> entries) throws ConfigException {
    for (int i = 0; entries != null && i < entries.size(); i++) {
      if (entries.get(i) != null) {
        createOrRemap(
            "endpoints[" + i + "].cloudEventAttributes", entries.get(i).cloudEventAttributes());
      }
    }
  }

  private boolean createOrRemap(String key, String written) throws ConfigException {
    if (written == null || written.equals("Propagate")) {
      return false;
    }
    if (written.equals("CreateOrRemap")) {
      return true;
    }
    throw checks.error(key, "must be Propagate or CreateOrRemap, was '" + written + "'");
  }

  private CloudEventsHandling.Mode mode(String key, String written) throws ConfigException {
    if (written == null || written.equals("Binary")) {
      return CloudEventsHandling.Mode.BINARY;
    }
    if (written.equals("Structured")) {
      return CloudEventsHandling.Mode.STRUCTURED;
    }
    throw checks.error(key, "must be Binary or Structured, was '" + written + "'");
  }

  private static int indexOf(List<EndpointSettings> endpoints, String name) {
    for (int i = 0; name != null && i < endpoints.size(); i++) {
      if (endpoints.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
