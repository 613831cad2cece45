package dev.mqttsidecar.component.pubsub;

import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.component.remote.RemoteSettings;
import dev.mqttsidecar.dapr.InvalidMetadataException;
import dev.mqttsidecar.dapr.MetadataValues;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pub/sub component instance's validated metadata (the Component YAML's {@code spec.metadata}).
 * Key names and defaults are documented in {@code components-yaml/pubsub.yaml}; the keys shared
 * with Dapr's built-in {@code pubsub.mqtt3} mean the same here.
 *
 * @param consumerId consumer group: streams with the same id compete for messages
 * @param qos default QoS of publishes and the maximum QoS of subscriptions
 * @param retain default RETAIN flag of publishes
 * @param topicPrefix prepended to every Dapr topic on the MQTT side
 * @param sessionExpiry how long a consumer group's queue outlives its last stream (zero with {@code
 *     cleanSession})
 * @param maxInflight messages a stream may hold unsettled from the broker
 * @param cloudEvents how CloudEvents travel on MQTT
 * @param attributes how messages that are not CloudEvents are presented to Dapr
 * @param ackTimeout how long daprd may take to acknowledge a message before it is redelivered
 * @param redeliveryBackoff wait before the first redelivery; doubles on each further one
 * @param maxDeliveries deliveries after which a message is dead-lettered (0 = unlimited)
 * @param deadLetterTopic Dapr topic for messages past {@code maxDeliveries}, or null to drop them
 * @param maxBulkPublishEntries most entries one BulkPublish may carry
 * @param remote the remote broker to use instead of the embedded one ({@code url}), or null
 */
record PubSubSettings(
    String consumerId,
    Qos qos,
    boolean retain,
    String topicPrefix,
    Duration sessionExpiry,
    int maxInflight,
    CloudEventsMode cloudEvents,
    AttributeMode attributes,
    Duration ackTimeout,
    Duration redeliveryBackoff,
    int maxDeliveries,
    String deadLetterTopic,
    int maxBulkPublishEntries,
    RemoteSettings remote) {

  private static final Logger log = LoggerFactory.getLogger(PubSubSettings.class);

  /** consumerID when daprd did not fill one in (for example Dapr's conformance harness). */
  static final String DEFAULT_CONSUMER_ID = "dapr";

  private static final Set<String> KNOWN =
      Set.of(
          "consumerID",
          "qos",
          "retain",
          "topicPrefix",
          "cleanSession",
          "sessionExpirySeconds",
          "maxInflightMessages",
          "cloudEvents",
          "cloudEventAttributes",
          "ackTimeoutSeconds",
          "redeliveryBackoff",
          "maxDeliveries",
          "deadLetterTopic",
          "maxBulkPublishEntries");

  /** Keys daprd itself interprets and passes through to every component. */
  private static final Set<String> DAPRD_KEYS =
      Set.of("publishingScopes", "subscriptionScopes", "allowedTopics", "protectedTopics");

  /** How CloudEvents are represented in MQTT messages (CloudEvents MQTT protocol binding). */
  enum CloudEventsMode {
    /**
     * The whole CloudEvent as a JSON payload, Content Type {@code application/cloudevents+json}.
     */
    STRUCTURED,
    /** The event data as the payload, the attributes as MQTT 5 user properties. */
    BINARY
  }

  /** How a message that is not a CloudEvent (say, from a plain MQTT device) reaches Dapr. */
  enum AttributeMode {
    /** CloudEvents pass through; raw payloads get the envelope daprd gives raw payloads. */
    PROPAGATE,
    /** CloudEvents pass through; raw payloads get a full CloudEvent describing the MQTT message. */
    CREATE_OR_REMAP
  }

  /**
   * Validates component metadata. Unknown keys are logged and ignored.
   *
   * @throws InvalidMetadataException naming the first invalid key
   */
  static PubSubSettings parse(Map<String, String> metadata) {
    warnAboutUnusedKeys(metadata);
    MetadataValues m = new MetadataValues(metadata);
    String consumerId = m.string("consumerID", DEFAULT_CONSUMER_ID);
    Qos qos = Qos.of(m.integer("qos", 1, 0, 2));
    // Keep/Never is the remote mode's retain policy: no RETAIN flag unless a request asks.
    String retainValue = m.string("retain", "false");
    boolean retain =
        !retainValue.equalsIgnoreCase("keep")
            && !retainValue.equalsIgnoreCase("never")
            && m.bool("retain", false);
    String topicPrefix = m.string("topicPrefix", "");
    TopicMapper.requireNoWildcards("topicPrefix", topicPrefix);
    boolean cleanSession = m.bool("cleanSession", false);
    int expirySeconds = m.integer("sessionExpirySeconds", 3600, 0, Integer.MAX_VALUE);
    int maxInflight = m.integer("maxInflightMessages", 100, 1, 65535);
    CloudEventsMode cloudEvents =
        switch (m.string("cloudEvents", "structured").toLowerCase(Locale.ROOT)) {
          case "structured" -> CloudEventsMode.STRUCTURED;
          case "binary" -> CloudEventsMode.BINARY;
          default ->
              throw new InvalidMetadataException("cloudEvents", "must be 'structured' or 'binary'");
        };
    AttributeMode attributes =
        switch (m.string("cloudEventAttributes", "Propagate").toLowerCase(Locale.ROOT)) {
          case "propagate" -> AttributeMode.PROPAGATE;
          case "createorremap" -> AttributeMode.CREATE_OR_REMAP;
          default ->
              throw new InvalidMetadataException(
                  "cloudEventAttributes", "must be 'Propagate' or 'CreateOrRemap'");
        };
    Duration ackTimeout =
        m.duration("ackTimeoutSeconds", Duration.ofSeconds(30), Duration.ofMillis(1));
    Duration backoff = m.duration("redeliveryBackoff", Duration.ofSeconds(1), Duration.ZERO);
    int maxDeliveries = m.integer("maxDeliveries", 0, 0, Integer.MAX_VALUE);
    String deadLetterTopic = m.get("deadLetterTopic");
    if (deadLetterTopic != null) {
      TopicMapper.requireNoWildcards("deadLetterTopic", deadLetterTopic);
    }
    return new PubSubSettings(
        consumerId,
        qos,
        retain,
        topicPrefix,
        cleanSession ? Duration.ZERO : Duration.ofSeconds(expirySeconds),
        maxInflight,
        cloudEvents,
        attributes,
        ackTimeout,
        backoff,
        maxDeliveries,
        deadLetterTopic,
        m.integer("maxBulkPublishEntries", 10_000, 1, 1_000_000),
        RemoteSettings.parse(metadata));
  }

  private static void warnAboutUnusedKeys(Map<String, String> metadata) {
    Set<String> unknown = new TreeSet<>();
    for (String key : metadata.keySet()) {
      if (!containsIgnoringCase(KNOWN, key)
          && !containsIgnoringCase(RemoteSettings.KEYS, key)
          && !containsIgnoringCase(DAPRD_KEYS, key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      log.warn("pub/sub metadata keys {} are unknown and ignored", unknown);
    }
  }

  private static boolean containsIgnoringCase(Set<String> keys, String key) {
    return keys.stream().anyMatch(k -> k.equalsIgnoreCase(key));
  }
}
