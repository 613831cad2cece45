package dev.mqttsidecar.component.metrics;

import dev.mqttsidecar.broker.BrokerStatistics;
import dev.mqttsidecar.broker.Qos;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The broker's counters as meters. Every meter reads {@link BrokerStatistics} when scraped, the
 * same numbers {@code $SYS} publishes: there is no second set of counters, and nothing is added to
 * the message path. Refused connections are counted by reason; a reason's series appears with its
 * first refusal, so a scrape does not carry a dozen series that stay at zero.
 */
final class BrokerMeters implements SnapshotBinder {
  private static final String MAX_CONNECTIONS = "max_connections";

  private final BrokerStatistics stats;
  // Used by one thread at a time: the one that binds, then the scrape thread.
  private final Set<String> refusedSeries = new HashSet<>();
  private volatile Map<String, Long> refused = Map.of();

  BrokerMeters(BrokerStatistics stats) {
    this.stats = stats;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "mqtt.connections", "MQTT clients connected now", s -> s.clientsConnected());
    counter(
        registry,
        "mqtt.connections.accepted",
        "MQTT clients that completed CONNECT",
        s -> s.clientsTotal());
    takeSnapshot(registry);
    for (Qos qos : Qos.values()) {
      String tag = Integer.toString(qos.value());
      FunctionCounter.builder("mqtt.messages.received", stats, s -> s.messagesReceived(qos))
          .description("PUBLISH packets received from MQTT clients")
          .tag("qos", tag)
          .register(registry);
      FunctionCounter.builder("mqtt.messages.sent", stats, s -> s.messagesSent(qos))
          .description("PUBLISH packets sent to MQTT clients")
          .tag("qos", tag)
          .register(registry);
    }
    FunctionCounter.builder("mqtt.payload.received", stats, s -> s.bytesReceived())
        .description("payload bytes received in PUBLISH packets")
        .baseUnit(BaseUnits.BYTES)
        .register(registry);
    FunctionCounter.builder("mqtt.payload.sent", stats, s -> s.bytesSent())
        .description("payload bytes sent in PUBLISH packets")
        .baseUnit(BaseUnits.BYTES)
        .register(registry);
    dropped(registry, "queue_full", s -> s.droppedQueueFull());
    dropped(registry, "qos0_receiver_busy", s -> s.droppedQos0());
    dropped(registry, "expired", s -> s.droppedExpired());
    dropped(registry, "too_large", s -> s.droppedTooLarge());
    dropped(registry, "not_authorized", s -> s.droppedNotAuthorized());
    dropped(registry, "invalid_topic", s -> s.droppedInvalidTopic());
    dropped(registry, "retained_quota", s -> s.retainedRefused());
    gauge(
        registry,
        "mqtt.retained.messages",
        "topics holding a retained message",
        s -> s.retainedMessages());
    Gauge.builder("mqtt.retained.size", stats, s -> s.retainedBytes())
        .description("bytes of the retained messages")
        .baseUnit(BaseUnits.BYTES)
        .register(registry);
    gauge(registry, "mqtt.sessions", "sessions held, online and offline", s -> s.sessions());
    gauge(
        registry,
        "mqtt.sessions.persistent",
        "sessions that outlive their connection",
        s -> s.persistentSessions());
    gauge(
        registry, "mqtt.subscriptions", "topic filters the sessions hold", s -> s.subscriptions());
    counter(
        registry,
        "mqtt.subscriptions.refused.not.authorized",
        "topic filters refused as not authorized",
        s -> s.subscriptionsNotAuthorized());
  }

  /** One read of the refusals by reason per scrape, and a series for each reason seen. */
  @Override
  public void takeSnapshot(MeterRegistry registry) {
    Map<String, Long> now = new HashMap<>(stats.connectsRefused());
    now.put(MAX_CONNECTIONS, stats.connectionsRefused());
    refused = now;
    now.forEach(
        (reason, count) -> {
          if (count > 0 && refusedSeries.add(reason)) {
            FunctionCounter.builder(
                    "mqtt.connections.refused", this, m -> m.refused.getOrDefault(reason, 0L))
                .description("connections refused, by reason")
                .tag("reason", reason)
                .register(registry);
          }
        });
  }

  private void dropped(
      MeterRegistry registry, String reason, ToDoubleFunction<BrokerStatistics> f) {
    FunctionCounter.builder("mqtt.messages.dropped", stats, f)
        .description("messages not delivered or refused, by reason")
        .tag("reason", reason.toLowerCase(Locale.ROOT))
        .register(registry);
  }

  private void gauge(
      MeterRegistry registry, String name, String help, ToDoubleFunction<BrokerStatistics> f) {
    Gauge.builder(name, stats, f).description(help).register(registry);
  }

  private void counter(
      MeterRegistry registry, String name, String help, ToDoubleFunction<BrokerStatistics> f) {
    FunctionCounter.builder(name, stats, f).description(help).register(registry);
  }
}
