package dev.mqttsidecar.state;

import dev.mqttsidecar.broker.Qos;
import java.util.Objects;

/**
 * One state store instance's configuration, from its Component YAML metadata.
 *
 * @param topicPrefix prepended to every encoded key to form its retained topic
 * @param maxValueBytes largest value accepted
 * @param maxTransactionOperations most operations in one transaction (reported by MultiMaxSize)
 * @param qos the QoS of the retained messages, i.e. the most MQTT subscribers receive them with
 * @param maxBulkItems most items in one BulkGet, BulkSet or BulkDelete, and largest query page
 * @param maxResponseBytes most value bytes one BulkGet or query answer may carry
 */
public record StoreConfig(
    String topicPrefix,
    int maxValueBytes,
    int maxTransactionOperations,
    Qos qos,
    int maxBulkItems,
    int maxResponseBytes) {
  public static final int DEFAULT_MAX_VALUE_BYTES = 4 * 1024 * 1024;
  public static final int DEFAULT_MAX_TRANSACTION_OPERATIONS = 1000;
  public static final Qos DEFAULT_QOS = Qos.AT_LEAST_ONCE;
  public static final int DEFAULT_MAX_BULK_ITEMS = 10_000;
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

  public StoreConfig {
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    Objects.requireNonNull(qos, "qos");
  }

  /** The default topic prefix of an instance: {@code $dapr/state/<instance name>/}. */
  public static String defaultTopicPrefix(String instanceName) {
    return "$dapr/state/" + KeyCodec.encode(instanceName) + "/";
  }

  /** The defaults for an instance. */
  public static StoreConfig defaults(String instanceName) {
    return new StoreConfig(
        defaultTopicPrefix(instanceName),
        DEFAULT_MAX_VALUE_BYTES,
        DEFAULT_MAX_TRANSACTION_OPERATIONS,
        DEFAULT_QOS,
        DEFAULT_MAX_BULK_ITEMS,
        DEFAULT_MAX_RESPONSE_BYTES);
  }
}
