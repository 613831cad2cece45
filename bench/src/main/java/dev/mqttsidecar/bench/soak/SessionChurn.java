package dev.mqttsidecar.bench.soak;

import dev.mqttsidecar.bench.mqtt.ClientSettings;
import dev.mqttsidecar.bench.mqtt.MqttPipeline;
import io.netty.bootstrap.Bootstrap;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Persistent sessions that come and go: each connects with Clean Start 0 (5.0 with a Session Expiry
 * Interval, or 3.1.1 with Clean Session 0, alternately), subscribes at QoS 1, stays a while,
 * disconnects, stays away a while (its publisher goes on, so the broker queues for it) and comes
 * back for what was queued. {@link #drain()} brings every session back and keeps it connected.
 */
final class SessionChurn {
  private static final int SESSION_EXPIRY_SECONDS = 600;
  private static final long STAY_MILLIS = 3000;
  private static final long AWAY_MILLIS = 2000;

  private final Bootstrap bootstrap;
  private final InetSocketAddress broker;
  private final ScheduledExecutorService scheduler;
  private final Ledger[] ledgers;
  private final boolean[] away;
  private final ScheduledFuture<?>[] next;
  private final CountingSubscriber[] current;
  private final AtomicLong connections = new AtomicLong();
  private volatile boolean draining;

  SessionChurn(
      Bootstrap bootstrap,
      InetSocketAddress broker,
      ScheduledExecutorService scheduler,
      Ledger[] ledgers) {
    this.bootstrap = bootstrap;
    this.broker = broker;
    this.scheduler = scheduler;
    this.ledgers = ledgers;
    this.away = new boolean[ledgers.length];
    this.next = new ScheduledFuture<?>[ledgers.length];
    this.current = new CountingSubscriber[ledgers.length];
  }

  static String topic(int session) {
    return "soak/session/" + session;
  }

  /** Connects every session for the first time. */
  void start() {
    for (int i = 0; i < ledgers.length; i++) {
      connect(i);
    }
  }

  /** Connections made so far (each comeback is one). */
  long connections() {
    return connections.get();
  }

  private void connect(int i) {
    MqttVersion version = i % 2 == 0 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1;
    ClientSettings settings =
        ClientSettings.persistent("soak-session-" + i, version, SESSION_EXPIRY_SECONDS);
    CountingSubscriber sub = new CountingSubscriber(settings, topic(i), 1, ledgers[i]);
    synchronized (this) {
      away[i] = false;
      current[i] = sub;
    }
    MqttPipeline.connect(bootstrap, broker, null, sub);
    sub.ready()
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                ledgers[i].error("session " + i + " did not connect: " + error);
                schedule(i, () -> connect(i), AWAY_MILLIS);
              } else {
                connections.incrementAndGet();
                // Desynchronised, so the sessions do not all leave at once.
                schedule(i, () -> leave(i, sub), STAY_MILLIS + 250L * i);
              }
            });
  }

  private void leave(int i, CountingSubscriber sub) {
    synchronized (this) {
      if (draining) {
        return;
      }
      away[i] = true;
    }
    sub.disconnect();
    schedule(i, () -> connect(i), AWAY_MILLIS);
  }

  private synchronized void schedule(int i, Runnable task, long millis) {
    if (draining && !away[i]) {
      return;
    }
    next[i] = scheduler.schedule(task, millis, TimeUnit.MILLISECONDS);
  }

  /** Stops the churn: sessions away come back now and every session stays connected. */
  void drain() {
    for (int i = 0; i < ledgers.length; i++) {
      boolean reconnect;
      synchronized (this) {
        draining = true;
        reconnect = away[i] && next[i] != null && next[i].cancel(false);
      }
      if (reconnect) {
        connect(i);
      }
    }
  }

  /** Whether every session is connected again (after {@link #drain()}). */
  synchronized boolean allBack() {
    for (int i = 0; i < ledgers.length; i++) {
      if (away[i] || current[i] == null || !current[i].ready().isDone()) {
        return false;
      }
    }
    return true;
  }

  /** Disconnects every session; the sessions stay on the broker. */
  synchronized void close() {
    for (CountingSubscriber sub : current) {
      if (sub != null) {
        sub.disconnect();
      }
    }
  }
}
