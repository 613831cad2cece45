package dev.mqttsidecar.component.remote;

import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.state.StateException;
import dev.mqttsidecar.state.StateTopics;
import dev.mqttsidecar.state.Ttl;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A state store on plain retained messages of a broker without the state service (Mosquitto, a
 * cloud broker): the same topics as the embedded store, so devices see the same data. Last write
 * wins; no ETags, transactions or query, since a compare-and-set cannot be built on someone else's
 * retained messages.
 *
 * <p>Reads come from a local copy kept by one subscription to {@code <prefix>#}: MQTT has no "no
 * retained message" answer, so a per-Get subscription could only guess absence after a timeout. The
 * copy is as fresh as the broker's deliveries: a write by another sidecar shows once it arrives.
 */
final class LastWriteWinsStore implements RemoteStateBackend {
  /** Init waits for the retained messages until none came for this long... */
  static final Duration QUIET = Duration.ofMillis(300);

  /** ...but no longer than this after the SUBACK. */
  static final Duration MAX_LOAD = Duration.ofSeconds(1);

  /** A stored value; {@code ttl} null for one that never expires. */
  private record Value(byte[] data, String contentType, Duration ttl, long storedAtNanos) {
    Value(byte[] data, String contentType, Duration ttl) {
      this(data, contentType, ttl, System.nanoTime());
    }

    boolean expired() {
      return ttl != null && System.nanoTime() - storedAtNanos >= ttl.toNanos();
    }
  }

  private final Mqtt5AsyncClient client;
  private final StateTopics topics;
  private final ScheduledExecutorService scheduler;
  private final Duration timeout;
  private final Map<String, Value> values = new ConcurrentHashMap<>();
  private volatile long lastArrivalNanos = System.nanoTime();

  LastWriteWinsStore(
      Mqtt5AsyncClient client,
      StateTopics topics,
      ScheduledExecutorService scheduler,
      Duration timeout) {
    this.client = client;
    this.topics = topics;
    this.scheduler = scheduler;
    this.timeout = timeout;
  }

  /**
   * Subscribes to the store's topics (again after each connect; a new session forgets what the old
   * one knew) and completes once the retained messages stopped arriving.
   */
  CompletableFuture<Void> subscribe(boolean sessionPresent) {
    if (!sessionPresent) {
      values.clear(); // deletions while the session was gone never arrive
    }
    return client
        .subscribeWith()
        .topicFilter(topics.prefix() + "#")
        .qos(MqttQos.AT_LEAST_ONCE)
        .noLocal(true) // own writes are applied on their PUBACK
        .retainAsPublished(true) // tells retained changes from plain publishes
        .callback(this::arrived)
        .send()
        .thenCompose(subAck -> loaded());
  }

  private CompletableFuture<Void> loaded() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    long start = System.nanoTime();
    lastArrivalNanos = start;
    Runnable[] check = new Runnable[1];
    check[0] =
        () -> {
          long now = System.nanoTime();
          if (now - lastArrivalNanos >= QUIET.toNanos() || now - start >= MAX_LOAD.toNanos()) {
            done.complete(null);
          } else {
            scheduler.schedule(check[0], 50, TimeUnit.MILLISECONDS);
          }
        };
    scheduler.schedule(check[0], 50, TimeUnit.MILLISECONDS);
    return done;
  }

  private void arrived(Mqtt5Publish publish) {
    lastArrivalNanos = System.nanoTime();
    if (!publish.isRetain()) {
      return; // a plain publish on a key's topic does not change the stored value
    }
    Optional<String> key = topics.keyOf(publish.getTopic().toString());
    if (key.isEmpty()) {
      return;
    }
    byte[] data = publish.getPayloadAsBytes();
    if (data.length == 0) {
      values.remove(key.get());
      return;
    }
    Duration ttl =
        publish.getMessageExpiryInterval().isPresent()
            ? Duration.ofSeconds(publish.getMessageExpiryInterval().getAsLong())
            : null;
    values.put(
        key.get(), new Value(data, publish.getContentType().map(Object::toString).orElse(""), ttl));
  }

  @Override
  public List<String> features() {
    return List.of();
  }

  @Override
  public CompletableFuture<State.GetResponse> get(State.GetRequest request) {
    return run(() -> getNow(request.getKey()));
  }

  private State.GetResponse getNow(String key) {
    topics.topicOf(key); // rejects a key the embedded store rejects
    Value value = values.get(key);
    if (value == null || value.expired()) {
      return State.GetResponse.getDefaultInstance();
    }
    return State.GetResponse.newBuilder()
        .setData(ByteString.copyFrom(value.data()))
        .setContentType(value.contentType())
        .build();
  }

  @Override
  public CompletableFuture<State.BulkGetResponse> bulkGet(State.BulkGetRequest request) {
    return run(
        () -> {
          State.BulkGetResponse.Builder response = State.BulkGetResponse.newBuilder();
          for (State.GetRequest item : request.getItemsList()) {
            State.BulkStateItem.Builder out =
                State.BulkStateItem.newBuilder().setKey(item.getKey());
            try {
              State.GetResponse got = getNow(item.getKey());
              out.setData(got.getData()).setContentType(got.getContentType());
            } catch (StateException e) {
              out.setError(e.getMessage());
            }
            response.addItems(out);
          }
          return response.build();
        });
  }

  @Override
  public CompletableFuture<State.SetResponse> set(State.SetRequest request) {
    return run(() -> checked(request.getEtag(), request.getOptions(), request.getKey()))
        .thenCompose(
            topic -> {
              Optional<Duration> ttl = Ttl.from(request.getMetadataMap());
              Mqtt5PublishBuilder.Complete publish =
                  Mqtt5Publish.builder()
                      .topic(topic)
                      .qos(MqttQos.AT_LEAST_ONCE)
                      .retain(true)
                      .payload(request.getValue().toByteArray());
              if (!request.getContentType().isEmpty()) {
                publish = publish.contentType(request.getContentType());
              }
              if (ttl.isPresent()) {
                publish = publish.messageExpiryInterval(ttl.get().toSeconds());
              }
              byte[] data = request.getValue().toByteArray();
              return send(publish.build())
                  .thenApply(
                      ok -> {
                        if (data.length == 0) {
                          values.remove(request.getKey()); // an empty retained message deletes
                        } else {
                          values.put(
                              request.getKey(),
                              new Value(data, request.getContentType(), ttl.orElse(null)));
                        }
                        return State.SetResponse.getDefaultInstance();
                      });
            });
  }

  @Override
  public CompletableFuture<State.DeleteResponse> delete(State.DeleteRequest request) {
    return run(() -> checked(request.getEtag(), request.getOptions(), request.getKey()))
        .thenCompose(
            topic ->
                send(Mqtt5Publish.builder()
                        .topic(topic)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .retain(true)
                        .payload(ByteBuffer.allocate(0))
                        .build())
                    .thenApply(
                        ok -> {
                          values.remove(request.getKey());
                          return State.DeleteResponse.getDefaultInstance();
                        }));
  }

  @Override
  public CompletableFuture<State.BulkSetResponse> bulkSet(State.BulkSetRequest request) {
    CompletableFuture<?> all = CompletableFuture.completedFuture(null);
    for (State.SetRequest item : request.getItemsList()) {
      all = all.thenCompose(ok -> set(item));
    }
    return all.thenApply(ok -> State.BulkSetResponse.getDefaultInstance());
  }

  @Override
  public CompletableFuture<State.BulkDeleteResponse> bulkDelete(State.BulkDeleteRequest request) {
    CompletableFuture<?> all = CompletableFuture.completedFuture(null);
    for (State.DeleteRequest item : request.getItemsList()) {
      all = all.thenCompose(ok -> delete(item));
    }
    return all.thenApply(ok -> State.BulkDeleteResponse.getDefaultInstance());
  }

  @Override
  public CompletableFuture<State.TransactionalStateResponse> transact(
      State.TransactionalStateRequest request) {
    return unimplemented("transactions");
  }

  @Override
  public CompletableFuture<State.QueryResponse> query(State.QueryRequest request) {
    return unimplemented("query");
  }

  private static <T> CompletableFuture<T> unimplemented(String what) {
    return CompletableFuture.failedFuture(
        Status.UNIMPLEMENTED
            .withDescription(
                what
                    + " need the broker tier's state service; this store is last-write-wins on"
                    + " retained messages (metadata stateService)")
            .asRuntimeException());
  }

  /** The key's topic, after refusing what last-write-wins cannot honour. */
  private String checked(State.Etag etag, State.StateOptions options, String key) {
    if (etag != null && !etag.getValue().isEmpty()) {
      throw invalid("ETags need the broker tier's state service; this store is last-write-wins");
    }
    if (options.getConcurrency() == State.StateOptions.StateConcurrency.CONCURRENCY_FIRST_WRITE) {
      throw invalid(
          "first-write concurrency needs the broker tier's state service; this store is"
              + " last-write-wins");
    }
    return topics.topicOf(key);
  }

  private static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  /** Completes on the PUBACK; a refusing reason code or no PUBACK in time fails. */
  private CompletableFuture<Void> send(Mqtt5Publish publish) {
    return client
        .publish(publish)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(LastWriteWinsStore::accepted);
  }

  private static Void accepted(Mqtt5PublishResult result) {
    if (result.getError().isPresent()) {
      throw Status.UNAVAILABLE
          .withDescription("the broker refused the write: " + result.getError().get().getMessage())
          .asRuntimeException();
    }
    if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1
        && qos1.getPubAck().getReasonCode().isError()) {
      throw Status.UNAVAILABLE
          .withDescription("the broker refused the write: " + qos1.getPubAck().getReasonCode())
          .asRuntimeException();
    }
    return null;
  }

  /** The call's result, a bad key as INVALID_ARGUMENT, synchronous failures as failed futures. */
  private static <T> CompletableFuture<T> run(java.util.function.Supplier<T> call) {
    try {
      return CompletableFuture.completedFuture(call.get());
    } catch (StateException e) {
      return CompletableFuture.failedFuture(invalid(e.getMessage()));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void close() {
    values.clear();
  }
}
