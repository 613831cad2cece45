package dev.mqttsidecar.state;

import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.dapr.InvalidMetadataException;
import dev.mqttsidecar.dapr.MetadataValues;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@link StoreConfig} from Component YAML metadata. Keys are matched case-insensitively, as
 * Dapr's own components do; keys daprd interprets itself are accepted silently, unknown ones are
 * logged and ignored.
 */
public final class StoreConfigParser {
  private static final Logger log = LoggerFactory.getLogger(StoreConfigParser.class);

  /**
   * Largest accepted {@code maxValueBytes}: the sidecar's gRPC server takes requests up to 16 MiB,
   * and a Set carries the key, metadata and framing besides the value.
   */
  static final int MAX_VALUE_BYTES_LIMIT = 15 * 1024 * 1024;

  /** Keys daprd reads itself and passes through to every component. */
  private static final Set<String> DAPR_KEYS =
      Set.of(
          "keyprefix",
          "actorstatestore",
          "outboxpublishpubsub",
          "outboxpublishtopic",
          "outboxpubsub",
          "outboxdiscardwhenmissingstate");

  /** This store's own keys besides {@code topicPrefix}, lower case. */
  private static final Set<String> KNOWN_KEYS =
      Set.of(
          "maxvaluebytes", "maxtransactionoperations", "qos", "maxbulkitems", "maxresponsebytes");

  private StoreConfigParser() {}

  /**
   * @param instanceName the instance (Component {@code metadata.name}), for the default prefix
   * @throws StateException INVALID_ARGUMENT naming the key whose value is bad
   */
  public static StoreConfig parse(String instanceName, Map<String, String> metadata) {
    StoreConfig defaults = StoreConfig.defaults(instanceName);
    String prefix = defaults.topicPrefix();
    int maxValueBytes = defaults.maxValueBytes();
    int maxOps = defaults.maxTransactionOperations();
    Qos qos = defaults.qos();
    int maxBulkItems = defaults.maxBulkItems();
    int maxResponseBytes = defaults.maxResponseBytes();
    MetadataValues values = new MetadataValues(metadata);
    try {
      maxValueBytes = values.integer("maxValueBytes", maxValueBytes, 1, MAX_VALUE_BYTES_LIMIT);
      maxOps = values.integer("maxTransactionOperations", maxOps, 1, 100_000);
      qos = Qos.of(values.integer("qos", qos.value(), 0, 2));
      maxBulkItems = values.integer("maxBulkItems", maxBulkItems, 1, 1_000_000);
      maxResponseBytes =
          values.integer("maxResponseBytes", maxResponseBytes, 1024, Integer.MAX_VALUE);
    } catch (InvalidMetadataException e) {
      throw StateException.invalid(e.getMessage());
    }
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      String value = e.getValue() == null ? "" : e.getValue().trim();
      String key = e.getKey().toLowerCase(Locale.ROOT);
      if (key.equals("topicprefix")) {
        prefix = topicPrefix(e.getKey(), value);
      } else if (!KNOWN_KEYS.contains(key) && !DAPR_KEYS.contains(key)) {
        log.warn("state store '{}': ignoring unknown metadata key '{}'", instanceName, e.getKey());
      }
    }
    return new StoreConfig(prefix, maxValueBytes, maxOps, qos, maxBulkItems, maxResponseBytes);
  }

  private static String topicPrefix(String key, String value) {
    if (value.isEmpty()) {
      throw StateException.invalid("metadata " + key + " must not be empty");
    }
    if (value.indexOf('+') >= 0 || value.indexOf('#') >= 0 || value.indexOf('\0') >= 0) {
      throw StateException.invalid(
          "metadata "
              + key
              + " must be a topic name prefix without '+', '#' or NUL, was '"
              + value
              + "'");
    }
    return value;
  }
}
