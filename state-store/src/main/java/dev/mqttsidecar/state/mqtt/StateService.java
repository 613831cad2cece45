package dev.mqttsidecar.state.mqtt;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.Delivery;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.UserProperty;
import dev.mqttsidecar.state.RetainedStateStore;
import dev.mqttsidecar.state.StoreConfigParser;
import dev.mqttsidecar.state.grpc.StateCalls;
import dev.mqttsidecar.state.grpc.StateFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers Dapr state operations sent as MQTT 5 requests (MQTT 5.0 §4.10) to {@code
 * $state/v1/<store>/<operation>}, on the same retained-topic store and with the same calls as the
 * gRPC component. Clients reach it through the broker, so the authorization rules decide who may
 * publish requests and who may subscribe to which response topics.
 */
public final class StateService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StateService.class);

  public static final String TOPIC_PREFIX = "$state/v1/";

  /**
   * Responses go only below this prefix, so a request cannot make the service publish onto an
   * application topic its sender may not write to.
   */
  public static final String RESPONSE_PREFIX = "$state/response/";

  private static final String SESSION_ID = "$state-service";
  private static final int MAX_INFLIGHT_DELIVERIES = 1024;

  private final Broker broker;
  private final Clock clock;
  private final StateServiceSettings settings;
  private final Map<String, RetainedStateStore> stores = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private volatile Subscription subscription;

  public StateService(Broker broker, Clock clock, StateServiceSettings settings) {
    this.broker = broker;
    this.clock = clock;
    this.settings = settings;
  }

  /** Subscribes to the request topics; does nothing when the settings turn the service off. */
  public void start() {
    if (!settings.enabled()) {
      return;
    }
    subscription =
        broker.subscribe(
            new SubscriptionRequest(
                SESSION_ID,
                TOPIC_PREFIX + "+/+",
                Qos.AT_LEAST_ONCE,
                MAX_INFLIGHT_DELIVERIES,
                Duration.ZERO),
            this::onRequest);
    log.info("state service answering on {}+/+", TOPIC_PREFIX);
  }

  /** Requests dropped without an answer: no usable response topic. */
  public long dropped() {
    return dropped.get();
  }

  /** Requests answered, successfully or with an error status. */
  public long answered() {
    return answered.get();
  }

  private void onRequest(Delivery delivery) {
    // Settled at once: a request is answered at most once; a client that gets no answer retries.
    delivery.ack();
    Message request = delivery.message();
    MessageProperties props = request.properties();
    String responseTopic = props.responseTopic();
    if (responseTopic == null || !responseTopic.startsWith(RESPONSE_PREFIX)) {
      long n = dropped.incrementAndGet();
      log.debug(
          "state request on {} dropped ({} so far): response topic must start with {}",
          request.topic(),
          n,
          RESPONSE_PREFIX);
      return;
    }
    boolean json = StatePayloads.isJson(props.contentType());
    Responder responder = new Responder(responseTopic, props.correlationData(), json, request);
    AtomicInteger count = inFlight.computeIfAbsent(responseTopic, t -> new AtomicInteger());
    if (count.incrementAndGet() > settings.maxInFlightPerResponseTopic()) {
      release(responseTopic, count);
      responder.refuse(
          "RESOURCE_EXHAUSTED",
          "more than "
              + settings.maxInFlightPerResponseTopic()
              + " requests unanswered on this response topic: wait for answers");
      return;
    }
    CompletableFuture<? extends com.google.protobuf.Message> result;
    try {
      result = handle(request, json);
    } catch (Throwable t) {
      result = CompletableFuture.failedFuture(t);
    }
    result.whenComplete(
        (response, failure) -> {
          release(responseTopic, count);
          if (failure instanceof RequestRefused refused) {
            responder.refuse(refused.status, refused.getMessage());
          } else if (failure != null) {
            StateFailure f = StateFailure.of(failure);
            responder.refuse(f.status(), f.message(), f.field());
          } else {
            responder.answer(response);
          }
        });
  }

  private CompletableFuture<? extends com.google.protobuf.Message> handle(
      Message request, boolean json) throws RequestRefused {
    String[] levels = request.topic().substring(TOPIC_PREFIX.length()).split("/", -1);
    String storeName = levels[0];
    Optional<StateServiceOperation> operation = StateServiceOperation.named(levels[1]);
    if (operation.isEmpty()) {
      throw new RequestRefused("UNIMPLEMENTED", "unknown state operation '" + levels[1] + "'");
    }
    if (!settings.serves(storeName)) {
      throw new RequestRefused(
          "NOT_FOUND", "state store '" + storeName + "' is not served here: see stateService");
    }
    if (!StatePayloads.isKnown(request.properties().contentType())) {
      throw new RequestRefused(
          "INVALID_ARGUMENT",
          "content type '"
              + request.properties().contentType()
              + "' is not "
              + StatePayloads.PROTOBUF
              + " or "
              + StatePayloads.JSON);
    }
    if (request.payloadSize() > settings.maxRequestBytes()) {
      throw new RequestRefused(
          "RESOURCE_EXHAUSTED",
          "request of "
              + request.payloadSize()
              + " bytes is over the state service's "
              + settings.maxRequestBytes());
    }
    if (json && operation.get() == StateServiceOperation.QUERY) {
      // Dapr's query JSON, which protobuf's JSON mapping of QueryRequest cannot carry
      return CompletableFuture.completedFuture(
          StateCalls.query(store(storeName), QueryRequestJson.parse(request.payload())));
    }
    com.google.protobuf.Message parsed;
    try {
      parsed = StatePayloads.decode(request.payload(), json, operation.get().requestPrototype());
    } catch (InvalidProtocolBufferException e) {
      throw new RequestRefused(
          "INVALID_ARGUMENT",
          "payload is not a "
              + operation.get().requestPrototype().getDescriptorForType().getName()
              + ": "
              + e.getMessage());
    }
    return operation.get().call(store(storeName), parsed);
  }

  private RetainedStateStore store(String name) {
    // The same defaults as a Dapr component of that name without metadata: its key prefix etc.
    return stores.computeIfAbsent(
        name,
        n ->
            new RetainedStateStore(broker.retained(), StoreConfigParser.parse(n, Map.of()), clock));
  }

  private void release(String responseTopic, AtomicInteger count) {
    if (count.decrementAndGet() == 0) {
      inFlight.remove(responseTopic, count);
    }
  }

  @Override
  public void close() {
    Subscription current = subscription;
    if (current != null) {
      current.close();
    }
  }

  /** A request refused before it reached the store, with the status it is answered with. */
  private static final class RequestRefused extends Exception {
    final String status;

    RequestRefused(String status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** Publishes the one answer a request gets. */
  private final class Responder {
    private final String topic;
    private final byte[] correlationData;
    private final boolean json;
    private final Qos qos;

    Responder(String topic, byte[] correlationData, boolean json, Message request) {
      this.topic = topic;
      this.correlationData = correlationData;
      this.json = json;
      this.qos = request.qos();
    }

    void answer(com.google.protobuf.Message response) {
      publish(StatePayloads.encode(response, json), List.of(new UserProperty("status", "OK")));
    }

    void refuse(String status, String message) {
      refuse(status, message, null);
    }

    void refuse(String status, String message, String field) {
      List<UserProperty> props = new ArrayList<>();
      props.add(new UserProperty("status", status));
      props.add(new UserProperty("message", message));
      if (field != null) {
        props.add(new UserProperty("field", field));
      }
      publish(new byte[0], props);
    }

    private void publish(byte[] payload, List<UserProperty> userProperties) {
      answered.incrementAndGet();
      MessageProperties props =
          new MessageProperties(
              json,
              json ? StatePayloads.JSON : StatePayloads.PROTOBUF,
              null,
              correlationData,
              userProperties);
      broker
          .publish(new Message(topic, payload, qos, false, props, null))
          .whenComplete(
              (r, failure) -> {
                if (failure != null) {
                  log.warn("state response to {} not published: {}", topic, failure.toString());
                }
              });
    }
  }
}
