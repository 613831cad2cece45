package dev.mqttsidecar.component.dataflow;

/**
 * A snapshot of one dataflow's counters.
 *
 * @param forwarded messages the destination accepted
 * @param failed messages that could not be mapped or converted (no such field, invalid JSON)
 * @param refused messages the destination refused for good
 * @param dropped QoS 0 messages dropped because the destination could not take them
 * @param deadLettered failed or refused messages published to the dead-letter topic
 * @param looped messages not forwarded because they went through {@link HopLimit#MAX_HOPS}
 *     dataflows already (a loop through another broker)
 * @param waiting messages read and not yet settled with the source
 */
public record DataflowStatus(
    String name,
    long forwarded,
    long failed,
    long refused,
    long dropped,
    long deadLettered,
    long looped,
    int waiting) {

  public String summary() {
    return "dataflow "
        + name
        + ": forwarded "
        + forwarded
        + ", failed "
        + failed
        + ", refused "
        + refused
        + ", dropped "
        + dropped
        + ", dead-lettered "
        + deadLettered
        + ", looped "
        + looped
        + ", waiting "
        + waiting;
  }
}
