package dev.mqttsidecar.component.dataflow;

import dev.mqttsidecar.broker.UserProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * Breaks loops that the start-time {@link LoopCheck} cannot see, such as one closed by another
 * broker's own bridge: every forwarded message carries how many dataflows moved it so far and the
 * identity of the sidecar that moved it last (MQTT 5 user properties, kept by MQTT 5 brokers), and
 * one that has been moved {@link #MAX_HOPS} times is not moved again.
 */
final class HopLimit {
  /** User property: how many dataflows (of any sidecar) forwarded the message. */
  static final String HOPS = "mqtt-sidecar-hops";

  /** User property: the stable identity of the sidecar that forwarded it last. */
  static final String VIA = "mqtt-sidecar-via";

  /** Deep enough for chains of sidecars (edge, plant, cloud), small enough to stop a loop fast. */
  static final int MAX_HOPS = 8;

  private final String sidecarId;

  HopLimit(String sidecarId) {
    this.sidecarId = sidecarId;
  }

  /** The hop count a message arrived with; 0 without one (or with one that is not a number). */
  static int hops(List<UserProperty> properties) {
    for (UserProperty p : properties) {
      if (p.name().equals(HOPS)) {
        try {
          return Math.max(0, Integer.parseInt(p.value().trim()));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  /** Whether a message that arrived with {@code properties} has gone round too often. */
  static boolean exceeded(List<UserProperty> properties) {
    return hops(properties) >= MAX_HOPS;
  }

  /** {@code out} with the hop count one higher than {@code arrived} had, and this sidecar's id. */
  FlowMessage stamp(FlowMessage out, List<UserProperty> arrived) {
    List<UserProperty> properties = new ArrayList<>();
    for (UserProperty p : out.userProperties()) {
      if (!p.name().equals(HOPS) && !p.name().equals(VIA)) {
        properties.add(p);
      }
    }
    properties.add(new UserProperty(HOPS, Integer.toString(hops(arrived) + 1)));
    properties.add(new UserProperty(VIA, sidecarId));
    return new FlowMessage(
        out.topic(), out.payload(), out.qos(), out.retain(), out.contentType(), properties);
  }
}
