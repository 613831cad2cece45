package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.concurrent.Timers;
import dev.mqttsidecar.broker.core.PublishService;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SessionRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes will messages, at once or after the 5.0 Will Delay Interval [MQTT-3.1.3-9]. */
final class Wills {
  private static final Logger LOG = LoggerFactory.getLogger(Wills.class);

  /**
   * A will as stored at CONNECT.
   *
   * @param message the will message; its expiresAt is unset
   * @param expiryInterval the will's Message Expiry Interval, counted from publication, or null
   * @param delay the Will Delay Interval
   */
  record Will(Message message, Duration expiryInterval, Duration delay) {}

  private final PublishService publisher;
  private final SessionRegistry sessions;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

  Wills(
      PublishService publisher,
      SessionRegistry sessions,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this.publisher = publisher;
    this.sessions = sessions;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /**
   * The connection ended without a normal DISCONNECT: send the will, delayed at most until the
   * session ends.
   */
  void connectionLost(String clientId, Will will, Duration sessionExpiry) {
    Duration delay = will.delay().compareTo(sessionExpiry) < 0 ? will.delay() : sessionExpiry;
    if (delay.isZero()) {
      publish(clientId, will);
      return;
    }
    ScheduledFuture<?> f =
        Timers.after(
            scheduler,
            delay,
            () -> {
              pending.remove(clientId);
              Session s = sessions.get(clientId);
              if (s == null || !s.isOnline()) {
                publish(clientId, will);
              }
            });
    if (f == null) {
      LOG.debug("broker stopping, will of {} not scheduled", clientId);
      return;
    }
    ScheduledFuture<?> old = pending.put(clientId, f);
    if (old != null) {
      old.cancel(false);
    }
  }

  /** A client connected: its delayed will is not sent [MQTT-3.1.3-9]. */
  void cancel(String clientId) {
    ScheduledFuture<?> f = pending.remove(clientId);
    if (f != null) {
      f.cancel(false);
    }
  }

  private void publish(String clientId, Will will) {
    Message m = will.message();
    if (will.expiryInterval() != null) {
      m =
          new Message(
              m.topic(),
              m.payload(),
              m.qos(),
              m.retain(),
              m.properties(),
              clock.instant().plus(will.expiryInterval()));
    }
    publisher
        .publish(m, clientId)
        .whenComplete((r, e) -> LOG.debug("will of {}: {}", clientId, e == null ? r : e));
  }
}
