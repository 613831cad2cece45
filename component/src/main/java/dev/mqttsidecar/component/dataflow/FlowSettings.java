package dev.mqttsidecar.component.dataflow;

import java.util.List;
import java.util.Objects;

/**
 * One dataflow: messages read at a source, their topic mapped, their payload written in a format,
 * sent to a destination.
 *
 * @param sourceEndpoint the endpoint read from, or null for the embedded broker
 * @param sourceTopics topic filters ({@code $share/...} allowed)
 * @param destinationEndpoint the endpoint written to, or null for the embedded broker
 * @param deadLetterTopic where messages that cannot go through are published on the embedded
 *     broker, or null
 * @param formatOptions the settings of {@code formatName}
 * @param cloudEvents what the flow does about CloudEvents
 */
public record FlowSettings(
    String name,
    String sourceEndpoint,
    List<String> sourceTopics,
    String destinationEndpoint,
    TopicTemplate destinationTopic,
    String formatName,
    String deadLetterTopic,
    FormatOptions formatOptions,
    CloudEventsHandling cloudEvents) {

  /** A flow with the format's default settings that forwards CloudEvents as they are. */
  public FlowSettings(
      String name,
      String sourceEndpoint,
      List<String> sourceTopics,
      String destinationEndpoint,
      TopicTemplate destinationTopic,
      String formatName,
      String deadLetterTopic) {
    this(
        name,
        sourceEndpoint,
        sourceTopics,
        destinationEndpoint,
        destinationTopic,
        formatName,
        deadLetterTopic,
        FormatOptions.DEFAULTS,
        CloudEventsHandling.PROPAGATE);
  }

  public FlowSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(formatOptions, "formatOptions");
    Objects.requireNonNull(cloudEvents, "cloudEvents");
    sourceTopics = List.copyOf(sourceTopics);
    Objects.requireNonNull(destinationTopic, "destinationTopic");
    Objects.requireNonNull(formatName, "formatName");
  }

  /** How logs and errors name a side: the endpoint's name, or "the embedded broker". */
  static String side(String endpoint) {
    return endpoint == null ? "the embedded broker" : "endpoint " + endpoint;
  }
}
