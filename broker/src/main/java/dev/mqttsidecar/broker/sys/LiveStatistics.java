package dev.mqttsidecar.broker.sys;

import dev.mqttsidecar.broker.BrokerStatistics;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.codec.ReasonCode;
import dev.mqttsidecar.broker.core.BrokerServices;
import dev.mqttsidecar.broker.session.Counters;
import dev.mqttsidecar.broker.session.Session;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@link BrokerStatistics} read from the broker's own counters, the ones {@code $SYS} reports. */
public final class LiveStatistics implements BrokerStatistics {
  private final BrokerServices services;
  private final TrafficStats stats;
  private final Counters counters;

  public LiveStatistics(BrokerServices services, TrafficStats stats) {
    this.services = services;
    this.stats = stats;
    this.counters = services.counters();
  }

  @Override
  public long clientsConnected() {
    return stats.clientsConnected();
  }

  @Override
  public long clientsTotal() {
    return stats.clientsTotal();
  }

  @Override
  public long connectionsRefused() {
    return stats.connectionsRefused();
  }

  @Override
  public long messagesReceived(Qos qos) {
    return stats.messagesReceived(qos.value());
  }

  @Override
  public long messagesSent(Qos qos) {
    return stats.messagesSent(qos.value());
  }

  @Override
  public Map<String, Long> connectsRefused() {
    Map<String, Long> refused = new LinkedHashMap<>();
    for (ReasonCode code : ReasonCode.values()) {
      if (isConnackFailure(code.value() & 0xFF)) {
        refused.put(code.name().toLowerCase(Locale.ROOT), stats.connectsRefused(code.value()));
      }
    }
    return refused;
  }

  /** The failure codes a CONNACK may carry (MQTT 5.0 section 3.2.2.2). */
  private static boolean isConnackFailure(int code) {
    return (code >= 0x80 && code <= 0x8A)
        || code == 0x8C
        || code == 0x90
        || code == 0x95
        || code == 0x97
        || (code >= 0x99 && code <= 0x9D)
        || code == 0x9F;
  }

  @Override
  public long messagesReceived() {
    return stats.messagesReceived();
  }

  @Override
  public long messagesSent() {
    return stats.messagesSent();
  }

  @Override
  public long bytesReceived() {
    return stats.bytesReceived();
  }

  @Override
  public long bytesSent() {
    return stats.bytesSent();
  }

  @Override
  public long droppedQueueFull() {
    return counters.queueOverflow();
  }

  @Override
  public long droppedQos0() {
    return counters.qos0Dropped();
  }

  @Override
  public long droppedExpired() {
    return counters.expired();
  }

  @Override
  public long droppedTooLarge() {
    return stats.oversizedDropped();
  }

  @Override
  public long droppedNotAuthorized() {
    return stats.publishesNotAuthorized();
  }

  @Override
  public long droppedInvalidTopic() {
    return stats.publishesInvalidTopic();
  }

  @Override
  public long retainedMessages() {
    return services.retained().size();
  }

  @Override
  public long retainedBytes() {
    return services.retained().bytes();
  }

  @Override
  public long retainedRefused() {
    return services.retained().quota().refused();
  }

  @Override
  public long persistentSessions() {
    return services.sessions().quota().count();
  }

  @Override
  public long sessions() {
    return services.sessions().size();
  }

  @Override
  public long subscriptions() {
    long subscriptions = 0;
    for (Session s : services.sessions().all()) {
      subscriptions += s.subscriptions().size();
    }
    return subscriptions;
  }

  @Override
  public long subscriptionsNotAuthorized() {
    return stats.subscriptionsNotAuthorized();
  }
}
