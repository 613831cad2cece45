package dev.mqttsidecar.component.dataflow;

import dev.mqttsidecar.component.endpoint.TopicFilters;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds dataflows that would feed each other forever: a flow from A to B whose output a flow from B
 * to A reads, and whose output the first one reads again (or one flow reading what it writes). The
 * output of a flow is approximated from above by its template's covering filter, so a refused pair
 * may in fact never meet; a loop is never missed.
 */
public final class LoopCheck {
  private LoopCheck() {}

  /** The first loop, described in one line naming both flows; empty when there is none. */
  public static Optional<String> find(List<FlowSettings> flows) {
    for (int i = 0; i < flows.size(); i++) {
      FlowSettings a = flows.get(i);
      if (Objects.equals(a.sourceEndpoint(), a.destinationEndpoint()) && feeds(a, a)) {
        return Optional.of(
            "dataflow '"
                + a.name()
                + "' reads from and writes to "
                + FlowSettings.side(a.sourceEndpoint())
                + " on overlapping topics ("
                + a.destinationTopic()
                + "): every message would come round again");
      }
      for (int j = i + 1; j < flows.size(); j++) {
        FlowSettings b = flows.get(j);
        boolean opposite =
            Objects.equals(a.sourceEndpoint(), b.destinationEndpoint())
                && Objects.equals(a.destinationEndpoint(), b.sourceEndpoint());
        if (opposite && feeds(a, b) && feeds(b, a)) {
          return Optional.of(
              "dataflows '"
                  + a.name()
                  + "' and '"
                  + b.name()
                  + "' form a loop: each reads topics the other writes ("
                  + a.destinationTopic()
                  + ", "
                  + b.destinationTopic()
                  + "); make their topics disjoint");
        }
      }
    }
    return Optional.empty();
  }

  /** Whether something {@code writer} writes may be read by {@code reader}. */
  private static boolean feeds(FlowSettings writer, FlowSettings reader) {
    String written = writer.destinationTopic().coveringFilter();
    return reader.sourceTopics().stream().anyMatch(f -> TopicFilters.overlaps(written, f));
  }
}
