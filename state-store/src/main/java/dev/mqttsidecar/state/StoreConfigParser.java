package dev.mqttsidecar.state;

import dev.mqttsidecar.broker.Qos;
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
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      String value = e.getValue() == null ? "" : e.getValue().trim();
      switch (e.getKey().toLowerCase(Locale.ROOT)) {
        case "topicprefix" -> prefix = topicPrefix(e.getKey(), value);
        case "maxvaluebytes" -> maxValueBytes = intIn(e.getKey(), value, 1, MAX_VALUE_BYTES_LIMIT);
        case "maxtransactionoperations" -> maxOps = intIn(e.getKey(), value, 1, 100_000);
        case "qos" -> qos = Qos.of(intIn(e.getKey(), value, 0, 2));
        default -> {
          if (!DAPR_KEYS.contains(e.getKey().toLowerCase(Locale.ROOT))) {
            log.warn(
                "state store '{}': ignoring unknown metadata key '{}'", instanceName, e.getKey());
          }
        }
      }
    }
    return new StoreConfig(prefix, maxValueBytes, maxOps, qos);
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

  private static int intIn(String key, String value, int min, int max) {
    long parsed;
    try {
      parsed = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw StateException.invalid("metadata " + key + " must be an integer, was '" + value + "'");
    }
    if (parsed < min || parsed > max) {
      throw StateException.invalid(
          "metadata " + key + " must be in [" + min + ", " + max + "], was " + parsed);
    }
    return (int) parsed;
  }
}
