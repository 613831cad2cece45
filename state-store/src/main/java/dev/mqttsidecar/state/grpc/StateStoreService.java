package dev.mqttsidecar.state.grpc;

import dapr.proto.components.v1.State;
import dapr.proto.components.v1.StateStoreGrpc;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.dapr.InstanceRegistry;
import dev.mqttsidecar.state.RetainedStateStore;
import dev.mqttsidecar.state.StateEntry;
import dev.mqttsidecar.state.StateError;
import dev.mqttsidecar.state.StateException;
import dev.mqttsidecar.state.StoreConfig;
import dev.mqttsidecar.state.StoreConfigParser;
import dev.mqttsidecar.state.WriteOutcome;
import io.dapr.v1.ComponentProtos;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dapr's {@code StateStore} service: Init, Features, Get/Set/Delete and their bulk forms, Ping. */
final class StateStoreService extends StateStoreGrpc.StateStoreImplBase {
  private static final Logger log = LoggerFactory.getLogger(StateStoreService.class);

  /** ETAG and TRANSACTIONAL make daprd accept the store as an actor state store. */
  static final List<String> FEATURES = List.of("ETAG", "TRANSACTIONAL", "TTL", "QUERY_API");

  private final Broker broker;
  private final InstanceRegistry<RetainedStateStore> instances;
  private final Clock clock;

  StateStoreService(Broker broker, InstanceRegistry<RetainedStateStore> instances, Clock clock) {
    this.broker = broker;
    this.instances = instances;
    this.clock = clock;
  }

  @Override
  public void init(State.InitRequest request, StreamObserver<State.InitResponse> observer) {
    Calls.reply(
        observer,
        () -> {
          String name = instances.currentName();
          StoreConfig config =
              StoreConfigParser.parse(name, request.getMetadata().getPropertiesMap());
          instances.putCurrent(new RetainedStateStore(broker.retained(), config, clock));
          log.info("state store '{}' initialised: {}", name, config);
          return State.InitResponse.getDefaultInstance();
        });
  }

  @Override
  public void features(
      ComponentProtos.FeaturesRequest request,
      StreamObserver<ComponentProtos.FeaturesResponse> observer) {
    Calls.reply(
        observer,
        () -> {
          instances.current();
          return ComponentProtos.FeaturesResponse.newBuilder().addAllFeatures(FEATURES).build();
        });
  }

  @Override
  public void ping(
      ComponentProtos.PingRequest request, StreamObserver<ComponentProtos.PingResponse> observer) {
    Calls.reply(
        observer,
        () -> {
          instances.current();
          return ComponentProtos.PingResponse.getDefaultInstance();
        });
  }

  @Override
  public void get(State.GetRequest request, StreamObserver<State.GetResponse> observer) {
    Calls.reply(
        observer, () -> ProtoMapping.getResponse(instances.current().get(request.getKey())));
  }

  @Override
  public void set(State.SetRequest request, StreamObserver<State.SetResponse> observer) {
    Calls.replyLater(
        observer,
        () ->
            instances
                .current()
                .apply(List.of(ProtoMapping.put(request)))
                .thenApply(orThrow(State.SetResponse.getDefaultInstance())));
  }

  @Override
  public void delete(State.DeleteRequest request, StreamObserver<State.DeleteResponse> observer) {
    Calls.replyLater(
        observer,
        () ->
            instances
                .current()
                .apply(List.of(ProtoMapping.remove(request)))
                .thenApply(orThrow(State.DeleteResponse.getDefaultInstance())));
  }

  @Override
  public void bulkGet(
      State.BulkGetRequest request, StreamObserver<State.BulkGetResponse> observer) {
    Calls.reply(
        observer,
        () -> {
          RetainedStateStore store = instances.current();
          BulkWrites.checkItemCount(store, "BulkGet", request.getItemsCount());
          State.BulkGetResponse.Builder response = State.BulkGetResponse.newBuilder();
          long bytes = 0;
          for (State.GetRequest item : request.getItemsList()) {
            try {
              Optional<StateEntry> entry = store.get(item.getKey());
              bytes += entry.map(e -> e.value().length).orElse(0);
              if (bytes > store.config().maxResponseBytes()) {
                throw new StateException(
                    new StateError.TooLarge(
                        "BulkGet result is over this store's maxResponseBytes ("
                            + store.config().maxResponseBytes()
                            + " bytes of values): ask for fewer keys at a time"));
              }
              response.addItems(ProtoMapping.bulkItem(item.getKey(), entry));
            } catch (StateException e) {
              if (e.error() instanceof StateError.TooLarge) {
                throw e;
              }
              response.addItems(
                  State.BulkStateItem.newBuilder().setKey(item.getKey()).setError(e.getMessage()));
            }
          }
          return response.build();
        });
  }

  @Override
  public void bulkSet(
      State.BulkSetRequest request, StreamObserver<State.BulkSetResponse> observer) {
    Calls.replyLater(
        observer,
        () ->
            BulkWrites.applyEach(
                    instances.current(), "BulkSet", request.getItemsList(), ProtoMapping::put)
                .thenApply(orThrow(State.BulkSetResponse.getDefaultInstance())));
  }

  @Override
  public void bulkDelete(
      State.BulkDeleteRequest request, StreamObserver<State.BulkDeleteResponse> observer) {
    Calls.replyLater(
        observer,
        () ->
            BulkWrites.applyEach(
                    instances.current(), "BulkDelete", request.getItemsList(), ProtoMapping::remove)
                .thenApply(orThrow(State.BulkDeleteResponse.getDefaultInstance())));
  }

  /** The response on success; a failure becomes the status the adapter maps it to. */
  static <T> Function<WriteOutcome, T> orThrow(T response) {
    return outcome -> {
      if (outcome instanceof WriteOutcome.Failed failed) {
        throw new StateException(failed.error());
      }
      return response;
    };
  }
}
