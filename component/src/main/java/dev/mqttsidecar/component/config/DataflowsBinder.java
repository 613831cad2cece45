package dev.mqttsidecar.component.config;

import dev.mqttsidecar.component.dataflow.DataflowSettings;
import dev.mqttsidecar.component.dataflow.FlowSettings;
import dev.mqttsidecar.component.dataflow.FormatOptions;
import dev.mqttsidecar.component.dataflow.LoopCheck;
import dev.mqttsidecar.component.dataflow.TopicTemplate;
import dev.mqttsidecar.component.endpoint.EndpointSettings;
import dev.mqttsidecar.component.endpoint.TopicFilters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code endpoints} and {@code dataflows} sections: every name, filter and template checked,
 * and flows that would feed each other forever refused.
 */
final class DataflowsBinder {
  private final Checks checks;
  private final EndpointsBinder endpoints;
  private final FormatBinder formats;
  private final CloudEventsBinder cloudEvents;

  DataflowsBinder(Checks checks) {
    this.checks = checks;
    this.endpoints = new EndpointsBinder(checks);
    this.formats = new FormatBinder(checks);
    this.cloudEvents = new CloudEventsBinder(checks);
  }

  DataflowSettings bind(
      List<DataflowsDocument.Endpoint> endpointEntries, List<DataflowsDocument.Dataflow> entries)
      throws ConfigException {
    List<EndpointSettings> bound = endpoints.bind(endpointEntries);
    cloudEvents.checkEndpoints(endpointEntries);
    Set<String> endpointNames =
        bound.stream().map(EndpointSettings::name).collect(Collectors.toSet());
    List<FlowSettings> flows = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (int i = 0; entries != null && i < entries.size(); i++) {
      String key = "dataflows[" + i + "]";
      DataflowsDocument.Dataflow entry = checks.required(key, entries.get(i));
      FlowSettings flow = flow(key, entry, endpointNames, bound, endpointEntries);
      if (names.putIfAbsent(flow.name(), key) != null) {
        throw checks.error(
            key + ".name",
            "'" + flow.name() + "' is already the name of " + names.get(flow.name()));
      }
      flows.add(flow);
    }
    Optional<String> loop = LoopCheck.find(flows);
    if (loop.isPresent()) {
      throw checks.error("dataflows", loop.get());
    }
    return new DataflowSettings(bound, flows);
  }

  private FlowSettings flow(
      String key,
      DataflowsDocument.Dataflow f,
      Set<String> endpoints,
      List<EndpointSettings> bound,
      List<DataflowsDocument.Endpoint> endpointEntries)
      throws ConfigException {
    String name = checks.text(key + ".name", checks.required(key + ".name", f.name()));
    DataflowsDocument.Source source = checks.required(key + ".source", f.source());
    DataflowsDocument.Destination destination =
        checks.required(key + ".destination", f.destination());
    String from = endpoint(key + ".source.endpoint", source.endpoint(), endpoints);
    String to = endpoint(key + ".destination.endpoint", destination.endpoint(), endpoints);
    List<String> topics = checks.required(key + ".source.topics", source.topics());
    if (topics.isEmpty()) {
      throw checks.error(key + ".source.topics", "must list at least one topic filter");
    }
    for (int i = 0; i < topics.size(); i++) {
      String filter = topics.get(i);
      if (filter == null || !TopicFilters.isValid(filter)) {
        throw checks.error(
            key + ".source.topics[" + i + "]",
            "'" + filter + "' is not a topic filter (MQTT 5.0 §4.7, $share/<group>/<filter>)");
      }
    }
    TopicTemplate template = template(key + ".destination", destination, topics);
    String format = f.format() == null ? "Raw" : f.format();
    FormatOptions options = formats.bind(key, format, f.csv(), f.protobuf());
    String deadLetter = checks.text(key + ".deadLetterTopic", f.deadLetterTopic());
    if (deadLetter != null
        && (!TopicFilters.isValid(deadLetter)
            || deadLetter.contains("+")
            || deadLetter.contains("#")
            || deadLetter.startsWith("$"))) {
      throw checks.error(
          key + ".deadLetterTopic", "'" + deadLetter + "' is not a topic name without wildcards");
    }
    return new FlowSettings(
        name,
        from,
        topics,
        to,
        template,
        format,
        deadLetter,
        options,
        cloudEvents.bind(key, f, to, bound, endpointEntries));
  }

  private String endpoint(String key, String name, Set<String> endpoints) throws ConfigException {
    if (name != null && !endpoints.contains(name)) {
      throw checks.error(
          key,
          "no endpoint named '"
              + name
              + "' (endpoints: "
              + endpoints.stream().sorted().toList()
              + "; leave the key out for the embedded broker)");
    }
    return name;
  }

  private TopicTemplate template(
      String key, DataflowsDocument.Destination destination, List<String> sourceTopics)
      throws ConfigException {
    if ((destination.topic() == null) == (destination.topicFromField() == null)) {
      throw checks.error(key + ".topic", "write one of topic and topicFromField");
    }
    TopicTemplate template;
    try {
      template =
          destination.topic() != null
              ? TopicTemplate.parse(destination.topic())
              : TopicTemplate.fromField(destination.topicFromField());
    } catch (IllegalArgumentException e) {
      throw checks.error(
          key + (destination.topic() != null ? ".topic" : ".topicFromField"), e.getMessage());
    }
    int level = template.maxLevel();
    for (String filter : sourceTopics) {
      String[] levels = TopicFilters.unshared(filter).split("/", -1);
      if (level > levels.length && !filter.endsWith("#")) {
        throw checks.error(
            key + ".topic",
            "'"
                + template
                + "' uses level "
                + level
                + " but source topic '"
                + filter
                + "' has "
                + levels.length);
      }
    }
    return template;
  }
}
