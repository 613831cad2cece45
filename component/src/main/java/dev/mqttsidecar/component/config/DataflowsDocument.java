package dev.mqttsidecar.component.config;

import java.util.List;

/**
 * The {@code endpoints} and {@code dataflows} sections as written (see {@link ConfigDocument}: the
 * record component names are the file format).
 */
final class DataflowsDocument {
  private DataflowsDocument() {}

  record Endpoint(
      String name,
      String host,
      Integer port,
      String protocol,
      String webSocketPath,
      String mqttVersion,
      EndpointTls tls,
      EndpointAuthentication authentication,
      String clientIdPrefix,
      Integer qos,
      String retain,
      Integer sessionExpirySeconds,
      Integer keepAliveSeconds,
      Integer maxInflightMessages,
      Integer maxBufferedMessages,
      String cloudEventAttributes) {}

  record EndpointTls(String trustedCaFile, String certFile, String keyFile) {}

  record EndpointAuthentication(
      String method, String username, String passwordFile, String passwordEnv, String tokenFile) {}

  record Dataflow(
      String name,
      Source source,
      Destination destination,
      String format,
      Csv csv,
      Protobuf protobuf,
      String deadLetterTopic,
      String cloudEventAttributes,
      String cloudEvents) {}

  record Csv(Boolean header, List<String> columns) {}

  record Protobuf(String descriptorFile, String messageType, String unknownFields) {}

  record Source(String endpoint, List<String> topics) {}

  record Destination(String endpoint, String topic, String topicFromField) {}
}
