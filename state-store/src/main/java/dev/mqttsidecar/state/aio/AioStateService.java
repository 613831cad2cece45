package dev.mqttsidecar.state.aio;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.Delivery;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.UserProperty;
import dev.mqttsidecar.state.RetainedStateStore;
import dev.mqttsidecar.state.StateException;
import dev.mqttsidecar.state.StoreConfigParser;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the Azure IoT Operations state store protocol (MQTT 5 requests with RESP3 payloads on
 * {@link #INVOKE_TOPIC}) from one Dapr state store of the retained-topic store, so AIO clients and
 * Dapr apps share keys.
 */
public final class AioStateService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AioStateService.class);

  public static final String INVOKE_TOPIC =
      "statestore/v1/FA9AE35F-2F64-47CD-9BFF-08E2B32A0FE8/command/invoke";

  /** Topics the protocol reserves for the state store's notifications: never a response topic. */
  static final String NOTIFY_PREFIX = "clients/statestore/v1/FA9AE35F-2F64-47CD-9BFF-08E2B32A0FE8";

  /**
   * The Dapr state store the protocol reads and writes: the name Dapr's quickstarts and {@code dapr
   * init} give their state store component.
   */
  public static final String STORE = "statestore";

  /** The node id of the timestamps this service issues. */
  public static final String NODE_ID = "mqtt-sidecar";

  public static final String TIMESTAMP = "__ts";
  public static final String FENCING_TOKEN = "__ft";

  /** The requesting client's id, which AIO clients send with every request. */
  public static final String SOURCE_ID = "__srcId";

  /** Keys watched with KEYNOTIFY, over all clients. */
  static final int MAX_WATCHED_KEYS = 10_000;

  private static final String SESSION_ID = "$aio-state-service";
  private static final int MAX_INFLIGHT_DELIVERIES = 1024;

  /** SET with NX/NEX/VEQ and PX has 7 elements; a few more leave room without inviting abuse. */
  private static final int MAX_ELEMENTS = 16;

  private final Broker broker;
  private final String storeName;
  private final int maxRequestBytes;
  private final HybridLogicalClock hlc;
  private final AioStateOperations operations;
  private final AioKeyNotifications notifications;
  private final AtomicLong dropped = new AtomicLong();
  private volatile Subscription subscription;

  /**
   * @param storeName the Dapr state store whose keys the protocol reads and writes
   * @param maxRequestBytes the largest request payload read; a bigger one gets an error answer
   */
  public AioStateService(Broker broker, Clock clock, String storeName, int maxRequestBytes) {
    this.broker = broker;
    this.storeName = storeName;
    this.maxRequestBytes = maxRequestBytes;
    this.hlc = new HybridLogicalClock(clock, NODE_ID);
    RetainedStateStore store =
        new RetainedStateStore(
            broker.retained(), StoreConfigParser.parse(storeName, Map.of()), clock);
    this.operations = new AioStateOperations(store);
    this.notifications = new AioKeyNotifications(broker, store, clock, hlc, MAX_WATCHED_KEYS);
  }

  public void start() {
    subscription =
        broker.subscribe(
            new SubscriptionRequest(
                SESSION_ID,
                INVOKE_TOPIC,
                Qos.AT_LEAST_ONCE,
                MAX_INFLIGHT_DELIVERIES,
                Duration.ZERO),
            this::onRequest);
    log.info(
        "Azure IoT Operations state store protocol on {} (store '{}')", INVOKE_TOPIC, storeName);
  }

  /** Requests dropped without an answer: no usable response topic. */
  public long dropped() {
    return dropped.get();
  }

  private void onRequest(Delivery delivery) {
    // Settled at once: a request is answered at most once; a client that gets no answer retries.
    delivery.ack();
    Message request = delivery.message();
    MessageProperties props = request.properties();
    String responseTopic = props.responseTopic();
    if (responseTopic == null
        || responseTopic.startsWith("$")
        || responseTopic.equals(INVOKE_TOPIC)
        || responseTopic.startsWith(NOTIFY_PREFIX)) {
      long n = dropped.incrementAndGet();
      log.debug("AIO state request dropped ({} so far): response topic {}", n, responseTopic);
      return;
    }
    CompletableFuture<byte[]> answer;
    try {
      answer = answer(request);
    } catch (AioCommand.Refused refused) {
      answer = CompletableFuture.completedFuture(Resp3.error(refused.getMessage()));
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    HybridLogicalClock.Timestamp requestTs = timestampOrNull(props);
    answer.whenComplete(
        (payload, failure) -> {
          if (failure != null) {
            log.warn("AIO state request failed: {}", failure.toString());
            payload = Resp3.error("the request failed: " + failure.getMessage());
          }
          respond(responseTopic, props.correlationData(), payload, hlc.next(requestTs));
        });
  }

  private CompletableFuture<byte[]> answer(Message request) throws AioCommand.Refused {
    if (request.qos() != Qos.AT_LEAST_ONCE) {
      throw new AioCommand.Refused("requests must be published at QoS 1");
    }
    if (request.payloadSize() > maxRequestBytes) {
      throw new AioCommand.Refused(
          "the request of " + request.payloadSize() + " bytes is over " + maxRequestBytes);
    }
    List<byte[]> args;
    try {
      args = Resp3.readRequest(request.payload(), MAX_ELEMENTS);
    } catch (Resp3.MalformedException e) {
      log.debug("AIO state request is not RESP3: {}", e.getMessage());
      throw new AioCommand.Refused("syntax error");
    }
    AioCommand command = AioCommand.parse(args);
    MessageProperties props = request.properties();
    if (userProperty(props, FENCING_TOKEN) != null) {
      throw new AioCommand.Refused(
          "fencing tokens (__ft) are not supported: this store's versions are ETags, not clocks");
    }
    if (command instanceof AioCommand.Set) {
      checkTimestamp(userProperty(props, TIMESTAMP));
    }
    if (command instanceof AioCommand.KeyNotify notify) {
      return CompletableFuture.completedFuture(keyNotify(notify, userProperty(props, SOURCE_ID)));
    }
    return operations.run(command);
  }

  /**
   * The protocol names the watching client by its MQTT client id, which the broker does not pass to
   * in-process subscribers; AIO clients send it as {@code __srcId} with every request.
   */
  private byte[] keyNotify(AioCommand.KeyNotify notify, String clientId) throws AioCommand.Refused {
    if (clientId == null || clientId.isEmpty()) {
      throw new AioCommand.Refused(
          "KEYNOTIFY needs the user property __srcId: the client id notifications go to");
    }
    String key = AioStateOperations.keyText(notify.key());
    try {
      return notify.stop() ? notifications.stop(clientId, key) : notifications.watch(clientId, key);
    } catch (StateException e) {
      return Resp3.error(e.error().message());
    }
  }

  /** Keys watched with KEYNOTIFY, over all clients. */
  public int watchedKeys() {
    return notifications.watched();
  }

  private void checkTimestamp(String text) throws AioCommand.Refused {
    if (text == null) {
      throw new AioCommand.Refused("missing timestamp");
    }
    HybridLogicalClock.Timestamp ts;
    try {
      ts = HybridLogicalClock.parse(text);
    } catch (IllegalArgumentException e) {
      throw new AioCommand.Refused("malformed timestamp");
    }
    if (hlc.tooFarAhead(ts)) {
      throw new AioCommand.Refused(
          "the request timestamp is too far in the future; ensure that the client and broker"
              + " system clocks are synchronized");
    }
  }

  /** The request's timestamp if it has a valid one that is not too far ahead, else null. */
  private HybridLogicalClock.Timestamp timestampOrNull(MessageProperties props) {
    String text = userProperty(props, TIMESTAMP);
    if (text == null) {
      return null;
    }
    try {
      HybridLogicalClock.Timestamp ts = HybridLogicalClock.parse(text);
      return hlc.tooFarAhead(ts) ? null : ts;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String userProperty(MessageProperties props, String name) {
    for (UserProperty p : props.userProperties()) {
      if (p.name().equals(name)) {
        return p.value();
      }
    }
    return null;
  }

  private void respond(
      String topic, byte[] correlationData, byte[] payload, HybridLogicalClock.Timestamp ts) {
    MessageProperties props =
        new MessageProperties(
            false,
            "application/octet-stream",
            null,
            correlationData,
            List.of(new UserProperty(TIMESTAMP, ts.toString())));
    broker
        .publish(new Message(topic, payload, Qos.AT_LEAST_ONCE, false, props, null))
        .whenComplete(
            (r, failure) -> {
              if (failure != null) {
                log.warn("AIO state response to {} not published: {}", topic, failure.toString());
              }
            });
  }

  @Override
  public void close() {
    Subscription current = subscription;
    if (current != null) {
      current.close();
    }
    notifications.close();
  }
}
