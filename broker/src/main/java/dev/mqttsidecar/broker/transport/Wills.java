package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.codec.PublishMapper;
import dev.mqttsidecar.broker.concurrent.Timers;
import dev.mqttsidecar.broker.core.PublishService;
import dev.mqttsidecar.broker.persistence.StoredWill;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SessionRegistry;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes will messages, at once or after the 5.0 Will Delay Interval [MQTT-3.1.3-9]. A held will
 * ({@link PendingWills}) is forgotten once it is published, and stays (stored) while the broker
 * cannot publish it (stopping, a failing disk), to be published at the next start.
 */
final class Wills {
  private static final Logger LOG = LoggerFactory.getLogger(Wills.class);

  /**
   * A will as stored at CONNECT.
   *
   * @param message the will message; its expiresAt is unset
   * @param expiryInterval the will's Message Expiry Interval, counted from publication, or null
   * @param delay the Will Delay Interval
   */
  record Will(Message message, Duration expiryInterval, Duration delay) {

    /** The will a CONNECT with the Will Flag carries [MQTT-3.1.2-9], [MQTT-3.1.3.2]. */
    static Will fromConnect(MqttConnectVariableHeader vh, MqttConnectPayload payload) {
      boolean mqtt5 = vh.version() == 5;
      MqttProperties wp = payload.willProperties();
      MessageProperties mp =
          mqtt5 && wp != null ? PublishMapper.toProperties(wp) : MessageProperties.NONE;
      Message message =
          new Message(
              payload.willTopic(),
              payload.willMessageInBytes(),
              Qos.of(vh.willQos()),
              vh.isWillRetain(),
              mp,
              null);
      Integer expiry =
          mqtt5 ? PublishMapper.intProperty(wp, MqttProperties.PUBLICATION_EXPIRY_INTERVAL) : null;
      Integer delay =
          mqtt5 ? PublishMapper.intProperty(wp, MqttProperties.WILL_DELAY_INTERVAL) : null;
      return new Will(
          message,
          expiry == null ? null : Duration.ofSeconds(Integer.toUnsignedLong(expiry)),
          delay == null ? Duration.ZERO : Duration.ofSeconds(Integer.toUnsignedLong(delay)));
    }
  }

  private final PublishService publisher;
  private final SessionRegistry sessions;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final PendingWills held;
  private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

  Wills(
      PublishService publisher,
      SessionRegistry sessions,
      ScheduledExecutorService scheduler,
      Clock clock,
      PendingWills held) {
    this.publisher = publisher;
    this.sessions = sessions;
    this.scheduler = scheduler;
    this.clock = clock;
    this.held = held;
  }

  /** The wills held for connections and delays, and their stored copies. */
  PendingWills held() {
    return held;
  }

  /**
   * A connection whose CONNECT was accepted ended. Without a normal DISCONNECT ({@code will} is
   * still set) the will goes out, delayed at most until the session ends [MQTT-3.1.2-8]; after one
   * it is discarded [MQTT-3.1.2-10].
   *
   * @param will the connection's will, or null: it had none or discarded it
   * @param record the connection's entry in {@link #held()}, or null
   */
  void connectionEnded(
      String clientId, Will will, PendingWills.Entry record, Duration sessionExpiry) {
    if (will == null) {
      held.forget(record);
    } else {
      schedule(clientId, will, min(will.delay(), sessionExpiry), record);
    }
  }

  /**
   * At start, before any client connects: the stored wills are those of connections the previous
   * process lost (it stopped or crashed while they were connected, or while their delay ran). The
   * restart counts as the moment the connection was lost, so a will waits its Will Delay Interval
   * from now, capped by the Session Expiry Interval it was stored with; the will of a session that
   * ended with its connection, or expired while the broker was down, goes out at once. A client
   * that connects before then cancels it.
   *
   * @return how many were published at once
   */
  int restore(Collection<StoredWill> wills) {
    int now = 0;
    for (StoredWill w : wills) {
      boolean sessionGone = sessions.get(w.clientId()) == null;
      Duration delay = sessionGone ? Duration.ZERO : min(w.delay(), w.sessionExpiry());
      now += delay.isZero() ? 1 : 0;
      schedule(
          w.clientId(),
          new Will(w.message(), w.expiryInterval(), w.delay()),
          delay,
          held.restored(w.clientId()));
    }
    return now;
  }

  private void schedule(String clientId, Will will, Duration delay, PendingWills.Entry record) {
    if (delay.isZero()) {
      publish(clientId, will, record);
      return;
    }
    AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
    ScheduledFuture<?> f =
        Timers.after(
            scheduler,
            delay,
            () -> {
              // Removes only this timer: a newer one of the client stays cancellable.
              ScheduledFuture<?> me = self.get();
              if (me != null) {
                pending.remove(clientId, me);
              }
              Session s = sessions.get(clientId);
              if (s == null || !s.isOnline()) {
                publish(clientId, will, record);
              } else {
                held.forget(record); // normally already replaced by the new connection's CONNECT
              }
            });
    if (f == null) {
      LOG.debug("broker stopping, will of {} not scheduled", clientId);
      return;
    }
    self.set(f);
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

  private void publish(String clientId, Will will, PendingWills.Entry record) {
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
        .whenComplete(
            (r, e) -> {
              if (e == null && !retryLater(r)) {
                held.forget(record);
                LOG.debug("will of {}: {}", clientId, r);
              } else {
                // Held, and on a durable store published at the next start.
                LOG.info(
                    "will of {} not published now: {}", clientId, e == null ? r : e.toString());
              }
            });
  }

  /**
   * Whether a will the broker could not take now (stopping, or a failing disk) should stay stored;
   * one it refuses for good (say, a topic the limits no longer allow) would fail again.
   */
  private static boolean retryLater(PublishResult r) {
    return r.status() == PublishResult.Status.UNAVAILABLE
        || r.status() == PublishResult.Status.STORAGE_FAILED;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }
}
