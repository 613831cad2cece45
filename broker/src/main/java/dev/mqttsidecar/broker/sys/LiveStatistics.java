package dev.mqttsidecar.broker.sys;

import dev.mqttsidecar.broker.BrokerStatistics;
import dev.mqttsidecar.broker.core.BrokerServices;
import dev.mqttsidecar.broker.session.Counters;
import dev.mqttsidecar.broker.session.Session;

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
