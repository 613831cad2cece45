package dev.mqttsidecar.state.aio;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.ClientEventTopics;
import dev.mqttsidecar.broker.Delivery;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.Subscriber;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.UserProperty;
import dev.mqttsidecar.state.RetainedStateStore;
import dev.mqttsidecar.state.StateEntry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * KEYNOTIFY of the Azure IoT Operations state store protocol: each watched key is an in-process
 * subscription to the key's retained topic, so every change of the key is noticed, whoever made it
 * (a protocol client, a Dapr app, a device publishing to the topic). A change is published to the
 * watching client's notification topic, {@code .../{hex client id}/command/notify/{hex key}}, as
 * {@code NOTIFY SET VALUE <value>} or {@code NOTIFY DELETE}. A client's watches end when it
 * disconnects (told by the broker's {@code $events} disconnect events), as the protocol says.
 */
final class AioKeyNotifications implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AioKeyNotifications.class);

  static final String NOTIFY_TOPIC_PREFIX = AioStateService.NOTIFY_PREFIX + "/";
  private static final String DISCONNECTED = "disconnected";
  private static final String DISCONNECTS = ClientEventTopics.PREFIX + "+/" + DISCONNECTED;
  private static final String SESSION_PREFIX = "$aio-keynotify/";
  private static final String DISCONNECTS_SESSION = "$aio-keynotify-disconnects";
  private static final Pattern EVENT_TIME = Pattern.compile("\"time\":\"([^\"]+)\"");
  private static final HexFormat HEX = HexFormat.of().withUpperCase();
  private static final byte[] NOT_WATCHED = Resp3.integer(0);
  private static final byte[] NOTIFY_DELETE =
      Resp3.array(List.of(ascii("NOTIFY"), ascii("DELETE")));

  private final Broker broker;
  private final RetainedStateStore store;
  private final HybridLogicalClock hlc;
  private final Clock clock;
  private final int maxWatches;
  private final Map<String, Map<String, Watch>> byClient = new HashMap<>(); // guarded by this
  private int watches; // guarded by this
  private Subscription disconnects; // guarded by this; open while any key is watched

  /**
   * @param maxWatches watches of all clients together; more are refused as over quota
   */
  AioKeyNotifications(
      Broker broker,
      RetainedStateStore store,
      Clock clock,
      HybridLogicalClock hlc,
      int maxWatches) {
    this.broker = broker;
    this.store = store;
    this.clock = clock;
    this.hlc = hlc;
    this.maxWatches = maxWatches;
  }

  /** KEYNOTIFY key: +OK, also when the key is watched already. */
  byte[] watch(String clientId, String key) {
    String topic = store.topicOf(key);
    Watch watch;
    synchronized (this) {
      Map<String, Watch> keys = byClient.computeIfAbsent(clientId, c -> new HashMap<>());
      if (keys.containsKey(key)) {
        return Resp3.ok();
      }
      if (watches >= maxWatches) {
        log.warn("KEYNOTIFY of {} for '{}' refused: {} keys are watched", clientId, key, watches);
        if (keys.isEmpty()) {
          byClient.remove(clientId);
        }
        return Resp3.error("the quota has been exceeded");
      }
      if (disconnects == null) {
        // Only while a key is watched: events are not even built when no one subscribes.
        disconnects = subscribe(DISCONNECTS_SESSION, DISCONNECTS, this::disconnected);
      }
      watch = new Watch(clientId, key);
      keys.put(key, watch);
      watches++;
    }
    watch.start(topic);
    return Resp3.ok();
  }

  /** KEYNOTIFY key STOP: +OK, or :0 when the key was not watched by that client. */
  byte[] stop(String clientId, String key) {
    Watch watch;
    synchronized (this) {
      Map<String, Watch> keys = byClient.get(clientId);
      watch = keys == null ? null : keys.remove(key);
      if (watch == null) {
        return NOT_WATCHED;
      }
      if (keys.isEmpty()) {
        byClient.remove(clientId);
      }
      forgotten(1);
    }
    watch.close();
    return Resp3.ok();
  }

  /** How many keys are watched, over all clients. */
  synchronized int watched() {
    return watches;
  }

  private void disconnected(Delivery delivery) {
    delivery.ack();
    String topic = delivery.message().topic();
    Instant at = eventTime(delivery.message());
    List<Watch> ended = new ArrayList<>();
    synchronized (this) {
      Iterator<Map.Entry<String, Map<String, Watch>>> clients = byClient.entrySet().iterator();
      while (clients.hasNext()) {
        Map.Entry<String, Map<String, Watch>> client = clients.next();
        if (!ClientEventTopics.of(client.getKey(), DISCONNECTED).equals(topic)) {
          continue;
        }
        // Events and requests arrive on different subscriptions: a watch asked for after the
        // disconnect came from the client's next connection and stays.
        client
            .getValue()
            .values()
            .removeIf(
                watch -> {
                  boolean before = at == null || !watch.since.isAfter(at);
                  if (before) {
                    ended.add(watch);
                  }
                  return before;
                });
        if (client.getValue().isEmpty()) {
          clients.remove();
        }
      }
      forgotten(ended.size());
    }
    ended.forEach(Watch::close);
  }

  /** The "time" of a client event, or null if it has none that parses. */
  private static Instant eventTime(Message event) {
    Matcher time = EVENT_TIME.matcher(new String(event.payload(), StandardCharsets.UTF_8));
    try {
      return time.find() ? Instant.parse(time.group(1)) : null;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Counts watches removed; the last one closes the disconnect events' subscription. */
  private void forgotten(int count) {
    watches -= count;
    if (watches == 0 && disconnects != null) {
      disconnects.close();
      disconnects = null;
    }
  }

  private Subscription subscribe(String sessionId, String filter, Subscriber subscriber) {
    return broker.subscribe(
        new SubscriptionRequest(sessionId, filter, Qos.AT_LEAST_ONCE, 64, Duration.ZERO),
        subscriber);
  }

  @Override
  public void close() {
    List<Watch> all = new ArrayList<>();
    synchronized (this) {
      byClient.values().forEach(keys -> all.addAll(keys.values()));
      byClient.clear();
      forgotten(watches);
    }
    all.forEach(Watch::close);
  }

  /** One client's watch of one key. */
  private final class Watch {
    private final String clientId;
    private final String key;
    private final String notifyTopic;
    private final Instant since = clock.instant();
    private volatile Subscription subscription;
    private volatile boolean closed;

    /** The value before subscribing while the first delivery may replay it; guarded by this. */
    private byte[] replayed;

    Watch(String clientId, String key) {
      this.clientId = clientId;
      this.key = key;
      this.notifyTopic =
          NOTIFY_TOPIC_PREFIX
              + HEX.formatHex(clientId.getBytes(StandardCharsets.UTF_8))
              + "/command/notify/"
              + HEX.formatHex(key.getBytes(StandardCharsets.UTF_8));
    }

    void start(String topic) {
      // A new subscription gets the retained message once, which is no change: its first delivery
      // is skipped when it still holds the value read before subscribing.
      synchronized (this) {
        replayed = store.get(key).map(StateEntry::value).orElse(null);
      }
      Subscription s = subscribe(SESSION_PREFIX + clientId + "/" + key, topic, this::changed);
      subscription = s;
      if (closed) {
        s.close(); // stopped while subscribing
      }
    }

    private void changed(Delivery delivery) {
      delivery.ack();
      Message message = delivery.message();
      byte[] value = message.payload();
      synchronized (this) {
        byte[] skip = replayed;
        replayed = null;
        if (skip != null && Arrays.equals(skip, value)) {
          return;
        }
      }
      if (closed) {
        return;
      }
      byte[] payload =
          value.length == 0
              ? NOTIFY_DELETE
              : Resp3.array(List.of(ascii("NOTIFY"), ascii("SET"), ascii("VALUE"), value));
      MessageProperties props =
          new MessageProperties(
              false,
              "application/octet-stream",
              null,
              null,
              List.of(new UserProperty(AioStateService.TIMESTAMP, hlc.next(null).toString())));
      broker
          .publish(new Message(notifyTopic, payload, Qos.AT_LEAST_ONCE, false, props, null))
          .whenComplete(
              (r, failure) -> {
                if (failure != null) {
                  log.warn("KEYNOTIFY of '{}' for {} not published: {}", key, clientId, failure);
                }
              });
    }

    void close() {
      closed = true;
      Subscription s = subscription;
      if (s != null) {
        s.close();
      }
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
