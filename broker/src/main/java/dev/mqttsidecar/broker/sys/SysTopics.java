package dev.mqttsidecar.broker.sys;

import dev.mqttsidecar.broker.BrokerStatistics;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.core.BrokerServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the broker's statistics on {@code $SYS/broker/...} every interval, as QoS 0 messages
 * (not retained) with a plain decimal or text payload, in the style of Mosquitto.
 */
public final class SysTopics {
  private static final Logger LOG = LoggerFactory.getLogger(SysTopics.class);

  /** The topic prefix of every statistic. */
  public static final String PREFIX = "$SYS/broker/";

  private final BrokerServices services;
  private final TrafficStats stats;
  private final LiveStatistics statistics;
  private final Instant started;
  private final Map<String, LongSupplier> more = new LinkedHashMap<>();
  private ScheduledFuture<?> timer;

  public SysTopics(BrokerServices services, TrafficStats stats) {
    this.services = services;
    this.stats = stats;
    this.statistics = new LiveStatistics(services, stats);
    this.started = services.config().clock().instant();
  }

  /**
   * Adds a statistic a part of the broker keeps itself, published after the others; call before
   * {@link #start}.
   */
  public void add(String topic, LongSupplier value) {
    more.put(topic, value);
  }

  /** Starts publishing every {@code interval}; zero disables $SYS. */
  public void start(Duration interval) {
    if (interval.isZero()) {
      return;
    }
    long millis = interval.toMillis();
    timer =
        services
            .scheduler()
            .scheduleAtFixedRate(this::publishSafely, millis, millis, TimeUnit.MILLISECONDS);
  }

  public void stop() {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void publishSafely() {
    try {
      snapshot().forEach(this::publish);
    } catch (Throwable t) {
      LOG.warn("$SYS publish failed", t);
    }
  }

  private void publish(String topic, String value) {
    services
        .publisher()
        .publish(
            Message.of(
                PREFIX + topic, value.getBytes(StandardCharsets.UTF_8), Qos.AT_MOST_ONCE, false),
            null);
  }

  /** The current values by topic suffix, in publishing order. */
  public Map<String, String> snapshot() {
    LiveStatistics c = statistics;
    Runtime rt = Runtime.getRuntime();
    Map<String, String> v = new LinkedHashMap<>();
    Instant now = services.config().clock().instant();
    v.put("uptime", Duration.between(started, now).getSeconds() + " seconds");
    v.put("version", version());
    v.put("clients/connected", String.valueOf(c.clientsConnected()));
    v.put("clients/total", String.valueOf(c.clientsTotal()));
    v.put("clients/maximum", String.valueOf(stats.clientsMaximum()));
    v.put("clients/refused", String.valueOf(c.connectionsRefused()));
    v.put("messages/received", String.valueOf(c.messagesReceived()));
    v.put("messages/sent", String.valueOf(c.messagesSent()));
    v.put("bytes/received", String.valueOf(c.bytesReceived()));
    v.put("bytes/sent", String.valueOf(c.bytesSent()));
    v.put(
        "publish/messages/dropped",
        String.valueOf(
            c.droppedQueueFull()
                + c.droppedQos0()
                + c.droppedExpired()
                + c.droppedTooLarge()
                + c.droppedNotAuthorized()
                + c.droppedInvalidTopic()));
    v.put("publish/messages/dropped/not-authorized", String.valueOf(c.droppedNotAuthorized()));
    v.put("publish/messages/dropped/invalid-topic", String.valueOf(c.droppedInvalidTopic()));
    v.put("retained messages/count", String.valueOf(c.retainedMessages()));
    v.put("retained messages/bytes", String.valueOf(c.retainedBytes()));
    v.put("retained messages/refused", String.valueOf(c.retainedRefused()));
    v.put("persistent sessions/count", String.valueOf(c.persistentSessions()));
    v.put("persistent sessions/refused", String.valueOf(services.sessions().quota().refused()));
    v.put("subscriptions/count", String.valueOf(c.subscriptions()));
    v.put("subscriptions/not-authorized", String.valueOf(c.subscriptionsNotAuthorized()));
    v.put("subscriptions/quota-exceeded", String.valueOf(stats.subscriptionsOverQuota()));
    v.put("subscriptions/invalid", String.valueOf(stats.subscriptionsInvalid()));
    v.put("heap/current", String.valueOf(rt.totalMemory() - rt.freeMemory()));
    more.forEach((topic, value) -> v.put(topic, String.valueOf(value.getAsLong())));
    return v;
  }

  /** The same counters, for metrics exporters. */
  public BrokerStatistics statistics() {
    return statistics;
  }

  private static String version() {
    String v = SysTopics.class.getPackage().getImplementationVersion();
    return "mqtt-sidecar " + (v == null ? "dev" : v);
  }
}
