package dev.mqttsidecar.state.grpc;

import dapr.proto.components.v1.State;
import dapr.proto.components.v1.StateStoreGrpc;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.dapr.InstanceRegistry;
import dev.mqttsidecar.state.RetainedStateStore;
import dev.mqttsidecar.state.StoreConfig;
import dev.mqttsidecar.state.StoreConfigParser;
import io.dapr.v1.ComponentProtos;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
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
          if (broker == null) {
            throw Status.FAILED_PRECONDITION
                .withDescription(
                    "this sidecar runs without an embedded broker (--no-broker): the state"
                        + " store needs url, naming the broker tier")
                .asRuntimeException();
          }
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
          return StateCalls.features();
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
    Calls.reply(observer, () -> StateCalls.get(instances.current(), request));
  }

  @Override
  public void set(State.SetRequest request, StreamObserver<State.SetResponse> observer) {
    Calls.replyLater(observer, () -> StateCalls.set(instances.current(), request));
  }

  @Override
  public void delete(State.DeleteRequest request, StreamObserver<State.DeleteResponse> observer) {
    Calls.replyLater(observer, () -> StateCalls.delete(instances.current(), request));
  }

  @Override
  public void bulkGet(
      State.BulkGetRequest request, StreamObserver<State.BulkGetResponse> observer) {
    Calls.reply(observer, () -> StateCalls.bulkGet(instances.current(), request));
  }

  @Override
  public void bulkSet(
      State.BulkSetRequest request, StreamObserver<State.BulkSetResponse> observer) {
    Calls.replyLater(observer, () -> StateCalls.bulkSet(instances.current(), request));
  }

  @Override
  public void bulkDelete(
      State.BulkDeleteRequest request, StreamObserver<State.BulkDeleteResponse> observer) {
    Calls.replyLater(observer, () -> StateCalls.bulkDelete(instances.current(), request));
  }
}
