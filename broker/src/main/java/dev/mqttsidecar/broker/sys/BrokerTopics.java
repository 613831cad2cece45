package dev.mqttsidecar.broker.sys;

/**
 * The topics only the broker publishes on: its statistics under {@code $SYS} and the client
 * life-cycle events under {@code $events}. No client may publish there, whatever the authorizer
 * allows, so nobody can forge them (section 4.7.2: the server should keep clients from using {@code
 * $}-topics to exchange messages). In-process publishers are not restricted.
 */
public final class BrokerTopics {
  private static final String SYS = "$SYS";
  private static final String EVENTS = "$events";

  private BrokerTopics() {}

  /** Whether {@code topic} is {@code $SYS}, {@code $events} or below one of them. */
  public static boolean isReserved(String topic) {
    return isAtOrBelow(topic, SYS) || isAtOrBelow(topic, EVENTS);
  }

  private static boolean isAtOrBelow(String topic, String root) {
    return topic.startsWith(root)
        && (topic.length() == root.length() || topic.charAt(root.length()) == '/');
  }
}
