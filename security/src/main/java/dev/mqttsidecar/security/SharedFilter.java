package dev.mqttsidecar.security;

/**
 * A shared subscription {@code $share/{group}/{filter}} taken apart.
 *
 * @param group the share name
 * @param filter the topic filter after it
 */
record SharedFilter(String group, String filter) {
  static final String PREFIX = "$share/";

  static boolean isShared(String filter) {
    return filter.startsWith(PREFIX);
  }

  /**
   * The parts of {@code shared} (which starts with {@code $share/}), or null when the share name is
   * empty or holds a wildcard, or the filter is empty [MQTT-4.8.2-1], [MQTT-4.8.2-2].
   */
  static SharedFilter parse(String shared) {
    int slash = shared.indexOf('/', PREFIX.length());
    if (slash < 0) {
      return null;
    }
    String group = shared.substring(PREFIX.length(), slash);
    String filter = shared.substring(slash + 1);
    if (group.isEmpty() || group.indexOf('+') >= 0 || group.indexOf('#') >= 0 || filter.isEmpty()) {
      return null;
    }
    return new SharedFilter(group, filter);
  }
}
