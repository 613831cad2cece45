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
 */
public record FlowSettings(
    String name,
    String sourceEndpoint,
    List<String> sourceTopics,
    String destinationEndpoint,
    TopicTemplate destinationTopic,
    String formatName,
    String deadLetterTopic) {

  public FlowSettings {
    Objects.requireNonNull(name, "name");
    sourceTopics = List.copyOf(sourceTopics);
    Objects.requireNonNull(destinationTopic, "destinationTopic");
    Objects.requireNonNull(formatName, "formatName");
  }

  /** How logs and errors name a side: the endpoint's name, or "the embedded broker". */
  static String side(String endpoint) {
    return endpoint == null ? "the embedded broker" : "endpoint " + endpoint;
  }
}
