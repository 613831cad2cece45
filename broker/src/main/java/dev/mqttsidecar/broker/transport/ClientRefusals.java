package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.logging.ThrottledLog;
import dev.mqttsidecar.broker.sys.TrafficStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clients' topic names and filters refused, at a configured limit or as invalid: each is counted
 * for {@code $SYS}, and each kind logged at most once per {@link ThrottledLog#REFUSALS}, broker
 * wide, so a client that retries in a loop cannot flood the log.
 */
final class ClientRefusals {
  private static final Logger LOG = LoggerFactory.getLogger(ClientRefusals.class);

  private final TrafficStats stats;
  private final ThrottledLog overQuota = new ThrottledLog(LOG, ThrottledLog.REFUSALS);
  private final ThrottledLog invalidFilter = new ThrottledLog(LOG, ThrottledLog.REFUSALS);
  private final ThrottledLog invalidTopic = new ThrottledLog(LOG, ThrottledLog.REFUSALS);

  ClientRefusals(TrafficStats stats) {
    this.stats = stats;
  }

  void subscriptionOverQuota(String clientId, String filter, int max) {
    stats.countSubscriptionOverQuota();
    overQuota.warn(
        "subscription of client '"
            + clientId
            + "' to '"
            + ThrottledLog.shown(filter)
            + "' refused: maxSubscriptionsPerClient ("
            + max
            + ") reached");
  }

  void invalidFilter(String clientId, String filter, String problem) {
    stats.countSubscriptionInvalid();
    invalidFilter.warn(
        "subscription of client '"
            + clientId
            + "' to '"
            + ThrottledLog.shown(filter)
            + "' refused: "
            + problem);
  }

  void invalidTopic(String clientId, String topic, String problem) {
    stats.countPublishInvalidTopic();
    invalidTopic.warn(
        "PUBLISH of client '"
            + clientId
            + "' to '"
            + ThrottledLog.shown(topic)
            + "' refused: "
            + problem);
  }
}
