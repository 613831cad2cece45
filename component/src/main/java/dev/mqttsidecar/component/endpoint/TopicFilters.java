package dev.mqttsidecar.component.endpoint;

/** Topic filter arithmetic of MQTT 5.0 §4.7, on filters already known to be valid. */
public final class TopicFilters {
  private static final String SHARE = "$share/";

  private TopicFilters() {}

  /** The filter without a {@code $share/<group>/} prefix (§4.8.2). */
  public static String unshared(String filter) {
    if (!filter.startsWith(SHARE)) {
      return filter;
    }
    int slash = filter.indexOf('/', SHARE.length());
    return slash < 0 ? filter : filter.substring(slash + 1);
  }

  /** Whether {@code topic} (a topic name) matches {@code filter} (shared or not). */
  public static boolean matches(String filter, String topic) {
    String f = unshared(filter);
    // Wildcards at the first level do not match topics starting with '$' [MQTT-4.7.2-1].
    if (topic.startsWith("$") && (f.startsWith("+") || f.startsWith("#"))) {
      return false;
    }
    return overlaps(f, topic);
  }

  /** Whether some topic name matches both filters. */
  public static boolean overlaps(String a, String b) {
    String[] x = unshared(a).split("/", -1);
    String[] y = unshared(b).split("/", -1);
    int i = 0;
    for (; i < x.length && i < y.length; i++) {
      if (x[i].equals("#") || y[i].equals("#")) {
        return true;
      }
      if (!x[i].equals("+") && !y[i].equals("+") && !x[i].equals(y[i])) {
        return false;
      }
    }
    // "a/#" also matches "a" [MQTT-4.7.1-2].
    return x.length == y.length
        || (i == x.length && y.length == i + 1 && y[i].equals("#"))
        || (i == y.length && x.length == i + 1 && x[i].equals("#"));
  }

  /** Whether {@code filter} is a valid (possibly shared) topic filter (§4.7.1, §4.8.2). */
  public static boolean isValid(String filter) {
    String f = unshared(filter);
    if (filter.startsWith(SHARE)
        && (f == filter || filter.indexOf('/', SHARE.length()) == SHARE.length())) {
      return false;
    }
    if (f.isEmpty() || f.indexOf('\0') >= 0) {
      return false;
    }
    String[] levels = f.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
        return false;
      }
      if (level.contains("+") && !level.equals("+")) {
        return false;
      }
    }
    return true;
  }
}
