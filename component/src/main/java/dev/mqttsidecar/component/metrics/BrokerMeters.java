package dev.mqttsidecar.component.metrics;

import dev.mqttsidecar.broker.BrokerStatistics;
import dev.mqttsidecar.broker.Qos;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The broker's counters as meters. Every meter reads {@link BrokerStatistics} when scraped, the
 * same numbers {@code $SYS} publishes: there is no second set of counters, and nothing is added to
 * the message path.
 */
final class BrokerMeters implements MeterBinder {
  private final BrokerStatistics stats;

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
    FunctionCounter.builder("mqtt.connections.refused", stats, s -> s.connectionsRefused())
        .description("connections refused")
        .tag("reason", "max_connections")
        .register(registry);
    for (String reason : stats.connectsRefused().keySet()) {
      FunctionCounter.builder(
              "mqtt.connections.refused", stats, s -> s.connectsRefused().getOrDefault(reason, 0L))
          .description("connections refused")
          .tag("reason", reason)
          .register(registry);
    }
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
