package dev.mqttsidecar.component.statesvc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.state.grpc.StateFailure;
import dev.mqttsidecar.state.mqtt.StatePayloads;
import dev.mqttsidecar.state.mqtt.StateService;
import dev.mqttsidecar.state.mqtt.StateServiceOperation;
import io.dapr.v1.ComponentProtos;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls a broker tier's state service (README, "State service over MQTT") for one store, over an
 * MQTT 5 client that is already connected. Answers arrive on a response topic of this client's own;
 * each request carries a fresh correlation id and fails with DEADLINE_EXCEEDED after the timeout.
 */
public final class StateServiceClient implements AutoCloseable {
  private final Mqtt5AsyncClient mqtt;
  private final String store;
  private final Duration timeout;
  private final String responseTopic;
  private final Map<ByteBuffer, CompletableFuture<Mqtt5Publish>> pending =
      new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();

  private StateServiceClient(Mqtt5AsyncClient mqtt, String store, Duration timeout) {
    this.mqtt = mqtt;
    this.store = store;
    this.timeout = timeout;
    this.responseTopic = StateService.RESPONSE_PREFIX + clientId(mqtt) + "/" + UUID.randomUUID();
  }

  /**
   * Subscribes to this client's response topic; completes when the broker granted it.
   *
   * @param mqtt a connected MQTT 5 client, allowed to publish to {@code $state/v1/<store>/#} and
   *     subscribe to {@code $state/response/<its client id>/#}
   */
  public static CompletableFuture<StateServiceClient> start(
      Mqtt5AsyncClient mqtt, String store, Duration timeout) {
    StateServiceClient client = new StateServiceClient(mqtt, store, timeout);
    return mqtt.subscribeWith()
        .topicFilter(client.responseTopic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(client::onResponse)
        .send()
        .handle(
            (ack, failure) -> {
              // hivemq fails the future when every reason code is an error [MQTT-3.9.3].
              if (failure != null || ack.getReasonCodes().get(0).isError()) {
                throw new StateServiceException(
                    new StateFailure(
                        "PERMISSION_DENIED",
                        "the broker refused the subscription to "
                            + client.responseTopic
                            + ": "
                            + (failure != null ? failure.getMessage() : ack.getReasonCodes()),
                        null));
              }
              return client;
            });
  }

  /**
   * Whether the broker answers state requests within the timeout: the service's Features reply.
   * Never fails; a broker without the service simply never answers.
   */
  public CompletableFuture<Boolean> probe() {
    return features().handle((features, failure) -> failure == null);
  }

  public CompletableFuture<ComponentProtos.FeaturesResponse> features() {
    return call(
        StateServiceOperation.FEATURES,
        ComponentProtos.FeaturesRequest.getDefaultInstance(),
        ComponentProtos.FeaturesResponse.parser());
  }

  public CompletableFuture<State.GetResponse> get(State.GetRequest request) {
    return call(StateServiceOperation.GET, request, State.GetResponse.parser());
  }

  public CompletableFuture<State.BulkGetResponse> bulkGet(State.BulkGetRequest request) {
    return call(StateServiceOperation.BULK_GET, request, State.BulkGetResponse.parser());
  }

  public CompletableFuture<State.SetResponse> set(State.SetRequest request) {
    return call(StateServiceOperation.SET, request, State.SetResponse.parser());
  }

  public CompletableFuture<State.BulkSetResponse> bulkSet(State.BulkSetRequest request) {
    return call(StateServiceOperation.BULK_SET, request, State.BulkSetResponse.parser());
  }

  public CompletableFuture<State.DeleteResponse> delete(State.DeleteRequest request) {
    return call(StateServiceOperation.DELETE, request, State.DeleteResponse.parser());
  }

  public CompletableFuture<State.BulkDeleteResponse> bulkDelete(State.BulkDeleteRequest request) {
    return call(StateServiceOperation.BULK_DELETE, request, State.BulkDeleteResponse.parser());
  }

  public CompletableFuture<State.TransactionalStateResponse> transact(
      State.TransactionalStateRequest request) {
    return call(StateServiceOperation.TRANSACT, request, State.TransactionalStateResponse.parser());
  }

  public CompletableFuture<State.QueryResponse> query(State.QueryRequest request) {
    return call(StateServiceOperation.QUERY, request, State.QueryResponse.parser());
  }

  private <T extends Message> CompletableFuture<T> call(
      StateServiceOperation operation, Message request, Parser<T> parser) {
    ByteBuffer id =
        ByteBuffer.wrap(ByteBuffer.allocate(Long.BYTES).putLong(nextId.incrementAndGet()).array());
    CompletableFuture<Mqtt5Publish> answer = new CompletableFuture<>();
    pending.put(id, answer);
    mqtt.publishWith()
        .topic(StateService.TOPIC_PREFIX + store + "/" + operation.topicLevel())
        .qos(MqttQos.AT_LEAST_ONCE)
        .contentType(StatePayloads.PROTOBUF)
        .responseTopic(responseTopic)
        .correlationData(id.duplicate())
        .payload(request.toByteArray())
        .send()
        .whenComplete(
            (result, failure) -> {
              Throwable error = failure != null ? failure : result.getError().orElse(null);
              if (error != null) {
                answer.completeExceptionally(
                    new StateServiceException(
                        new StateFailure("UNAVAILABLE", "request not sent: " + error, null)));
              }
            });
    return answer
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (publish, failure) -> {
              pending.remove(id);
              if (failure instanceof TimeoutException) {
                throw new StateServiceException(
                    new StateFailure(
                        "DEADLINE_EXCEEDED",
                        "no answer from the state service within " + timeout,
                        null));
              }
              if (failure != null) {
                throw failure instanceof RuntimeException r
                    ? r
                    : new IllegalStateException(failure);
              }
              return parse(publish, parser);
            });
  }

  private static <T extends Message> T parse(Mqtt5Publish publish, Parser<T> parser) {
    String status = property(publish, "status");
    if (!"OK".equals(status)) {
      throw new StateServiceException(
          new StateFailure(
              status == null ? "UNKNOWN" : status,
              String.valueOf(property(publish, "message")),
              property(publish, "field")));
    }
    try {
      return parser.parseFrom(publish.getPayloadAsBytes());
    } catch (InvalidProtocolBufferException e) {
      throw new StateServiceException(
          new StateFailure("INTERNAL", "unreadable answer: " + e.getMessage(), null));
    }
  }

  private static String property(Mqtt5Publish publish, String name) {
    for (Mqtt5UserProperty p : publish.getUserProperties().asList()) {
      if (p.getName().toString().equals(name)) {
        return p.getValue().toString();
      }
    }
    return null;
  }

  private void onResponse(Mqtt5Publish publish) {
    publish.getCorrelationData().map(pending::remove).ifPresent(answer -> answer.complete(publish));
  }

  private static String clientId(Mqtt5AsyncClient mqtt) {
    return mqtt.getConfig()
        .getClientIdentifier()
        .map(Object::toString)
        .orElseThrow(() -> new IllegalArgumentException("the MQTT client needs a client id"));
  }

  /** Stops listening for answers; the MQTT client stays connected. */
  @Override
  public void close() {
    mqtt.unsubscribeWith().topicFilter(responseTopic).send();
    pending.values().forEach(f -> f.cancel(false));
  }
}
