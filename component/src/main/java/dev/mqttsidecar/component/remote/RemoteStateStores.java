package dev.mqttsidecar.component.remote;

import static dev.mqttsidecar.component.remote.RemoteStateReplies.call;
import static dev.mqttsidecar.component.remote.RemoteStateReplies.reply;
import static dev.mqttsidecar.component.remote.RemoteStateReplies.status;

import dapr.proto.components.v1.QueriableStateStoreGrpc;
import dapr.proto.components.v1.State;
import dapr.proto.components.v1.StateStoreGrpc;
import dapr.proto.components.v1.TransactionalStateStoreGrpc;
import dapr.proto.components.v1.TransactionalStoreMultiMaxSizeGrpc;
import dev.mqttsidecar.broker.concurrent.DaemonThreads;
import dev.mqttsidecar.component.statesvc.StateServiceClient;
import dev.mqttsidecar.dapr.InstanceKey;
import dev.mqttsidecar.dapr.InvalidMetadataException;
import dev.mqttsidecar.state.StateTopics;
import dev.mqttsidecar.state.StoreConfig;
import io.dapr.v1.ComponentProtos;
import io.grpc.BindableService;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State store components in remote mode: an Init with {@code url} connects to that broker and
 * probes its state service (README, "State service over MQTT"); when it answers, every call of the
 * instance goes there, and Features advertise what the service does. Calls of other instances go to
 * the embedded store as before. Against a broker without the service, metadata {@code stateService}
 * decides: {@code auto} falls back to last-write-wins on retained messages, saying what is lost;
 * {@code required} fails Init; {@code off} never probes.
 */
public final class RemoteStateStores implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RemoteStateStores.class);
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Connect and probe within daprd's Init timeout (5 s by default). */
  static final Duration PROBE = Duration.ofSeconds(3);

  private record RemoteStore(BrokerConnection connection, RemoteStateBackend backend) {
    void close() {
      backend.close();
      connection.close();
    }
  }

  private final Supplier<InstanceKey> currentInstance;
  private final String clientIdSeed;
  private final ScheduledExecutorService scheduler;
  private final Map<String, RemoteStore> byName = new ConcurrentHashMap<>();

  /**
   * @param clientIdSeed what makes client identifiers unique to this sidecar (its socket path)
   */
  public RemoteStateStores(Supplier<InstanceKey> currentInstance, String clientIdSeed) {
    this.currentInstance = currentInstance;
    this.clientIdSeed = clientIdSeed;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("remote-state-timer"));
  }

  /**
   * The embedded state store's services with remote instances routed to the state service: Init
   * always comes here first (its metadata decides), every other call of a remote instance too.
   */
  public List<BindableService> route(List<BindableService> embedded) {
    StateStoreGrpc.AsyncService embeddedStore = null;
    for (BindableService service : embedded) {
      if (service instanceof StateStoreGrpc.AsyncService store) {
        embeddedStore = store;
      }
    }
    List<ServerServiceDefinition> remote =
        List.of(
            new Store(embeddedStore).bindService(),
            new Transactions().bindService(),
            new Queries().bindService(),
            new MultiMaxSize().bindService());
    List<BindableService> routed = new ArrayList<>();
    for (BindableService service : embedded) {
      ServerServiceDefinition local = service.bindService();
      ServerServiceDefinition.Builder builder =
          ServerServiceDefinition.builder(local.getServiceDescriptor());
      for (ServerMethodDefinition<?, ?> method : local.getMethods()) {
        builder.addMethod(routed(method, remote));
      }
      ServerServiceDefinition definition = builder.build();
      routed.add(() -> definition);
    }
    return routed;
  }

  private <Q, R> ServerMethodDefinition<Q, R> routed(
      ServerMethodDefinition<Q, R> local, List<ServerServiceDefinition> remote) {
    String name = local.getMethodDescriptor().getFullMethodName();
    for (ServerServiceDefinition definition : remote) {
      @SuppressWarnings("unchecked")
      ServerMethodDefinition<Q, R> there =
          (ServerMethodDefinition<Q, R>) definition.getMethod(name);
      if (there != null) {
        boolean init = name.equals(StateStoreGrpc.getInitMethod().getFullMethodName());
        return local.withServerCallHandler(
            (call, headers) ->
                (init || isRemote() ? there : local)
                    .getServerCallHandler()
                    .startCall(call, headers));
      }
    }
    return local;
  }

  private boolean isRemote() {
    return byName.containsKey(currentInstance.get().name());
  }

  private RemoteStore current() {
    RemoteStore store = byName.get(currentInstance.get().name());
    if (store == null) {
      throw Status.FAILED_PRECONDITION.withDescription("not initialised").asRuntimeException();
    }
    return store;
  }

  private void init(
      State.InitRequest request,
      StreamObserver<State.InitResponse> observer,
      StateStoreGrpc.AsyncService embedded) {
    String name = currentInstance.get().name();
    RemoteSettings settings;
    StateServiceMode mode;
    try {
      settings = RemoteSettings.parse(request.getMetadata().getPropertiesMap());
      mode = StateServiceMode.parse(request.getMetadata().getPropertiesMap());
    } catch (InvalidMetadataException e) {
      observer.onError(
          Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    if (settings == null) {
      RemoteStore previous = byName.remove(name);
      if (previous != null) {
        previous.close();
      }
      embedded.init(request, observer);
      return;
    }
    AtomicReference<LastWriteWinsStore> retained = new AtomicReference<>();
    BrokerConnection connection =
        new BrokerConnection(
            settings,
            ClientIds.base(settings.clientIdPrefix(), name, clientIdSeed) + "-state",
            scheduler,
            present -> {
              LastWriteWinsStore store = retained.get();
              if (store != null) {
                store.subscribe(present).exceptionally(e -> null); // a drop retries on connect
              }
            });
    connection.start();
    CompletableFuture<RemoteStateBackend> backend =
        mode == StateServiceMode.OFF
            ? lastWriteWins(connection, name, retained)
            : stateService(connection, name)
                .handle(
                    (service, failure) -> {
                      if (failure == null) {
                        return CompletableFuture.completedFuture(service);
                      }
                      String missing = missingService(settings, name, failure);
                      if (mode == StateServiceMode.REQUIRED) {
                        return CompletableFuture.<RemoteStateBackend>failedFuture(
                            Status.FAILED_PRECONDITION
                                .withDescription(missing)
                                .asRuntimeException());
                      }
                      log.warn(
                          "state store '{}': {}; falling back to last-write-wins on retained"
                              + " messages: no ETags, no transactions, no TTL enforcement beyond"
                              + " MQTT message expiry, no query (set metadata stateService:"
                              + " required to fail Init instead)",
                          name,
                          missing);
                      return lastWriteWins(connection, name, retained);
                    })
                .thenCompose(f -> f);
    backend.whenComplete(
        (chosen, failure) -> {
          if (failure != null) {
            connection.close();
            log.error("state store '{}': {}", name, status(failure).getStatus().getDescription());
            observer.onError(status(failure));
            return;
          }
          RemoteStore previous = byName.put(name, new RemoteStore(connection, chosen));
          if (previous != null) {
            previous.close();
          }
          log.info(
              "state store '{}' initialised in remote mode at {}: {}, features {}",
              name,
              settings.servers(),
              chosen instanceof LastWriteWinsStore
                  ? "last-write-wins on retained messages"
                  : "the state service",
              chosen.features());
          observer.onNext(State.InitResponse.getDefaultInstance());
          observer.onCompleted();
        });
  }

  private static CompletableFuture<RemoteStateBackend> stateService(
      BrokerConnection connection, String name) {
    return StateServiceClient.start(connection.client(), name, TIMEOUT)
        .thenCompose(
            client ->
                client
                    .features()
                    .whenComplete(
                        (features, failure) -> {
                          if (failure != null) {
                            client.close(); // no service: drop the response subscription
                          }
                        })
                    .<RemoteStateBackend>thenApply(
                        f -> new StateServiceBackend(client, List.copyOf(f.getFeaturesList()))))
        .orTimeout(PROBE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String missingService(RemoteSettings settings, String name, Throwable failure) {
    return "the broker at "
        + settings.servers()
        + " did not answer the state service ($state/v1/"
        + name
        + "/features) within "
        + PROBE.toSeconds()
        + " s: ETags and transactions need the broker tier (an mqtt-sidecar with its broker); "
        + status(failure).getStatus().getDescription();
  }

  private CompletableFuture<RemoteStateBackend> lastWriteWins(
      BrokerConnection connection, String name, AtomicReference<LastWriteWinsStore> retained) {
    LastWriteWinsStore store =
        new LastWriteWinsStore(
            connection.client(),
            new StateTopics(StoreConfig.defaultTopicPrefix(name)),
            scheduler,
            TIMEOUT);
    retained.set(store);
    return store
        .subscribe(true)
        .orTimeout(PROBE.toMillis(), TimeUnit.MILLISECONDS)
        .<RemoteStateBackend>thenApply(loaded -> store)
        .exceptionally(
            e -> {
              throw Status.UNAVAILABLE
                  .withDescription(
                      "cannot subscribe to the store's retained topics "
                          + StoreConfig.defaultTopicPrefix(name)
                          + "#: "
                          + status(e).getStatus().getDescription())
                  .asRuntimeException();
            });
  }

  private final class Store extends StateStoreGrpc.StateStoreImplBase {
    private final StateStoreGrpc.AsyncService embedded;

    Store(StateStoreGrpc.AsyncService embedded) {
      this.embedded = embedded;
    }

    @Override
    public void init(State.InitRequest request, StreamObserver<State.InitResponse> observer) {
      RemoteStateStores.this.init(request, observer, embedded);
    }

    @Override
    public void features(
        ComponentProtos.FeaturesRequest request,
        StreamObserver<ComponentProtos.FeaturesResponse> observer) {
      reply(
          CompletableFuture.supplyAsync(
              () ->
                  ComponentProtos.FeaturesResponse.newBuilder()
                      .addAllFeatures(current().backend().features())
                      .build(),
              Runnable::run),
          observer);
    }

    @Override
    public void ping(
        ComponentProtos.PingRequest request,
        StreamObserver<ComponentProtos.PingResponse> observer) {
      observer.onNext(ComponentProtos.PingResponse.getDefaultInstance());
      observer.onCompleted();
    }

    @Override
    public void get(State.GetRequest request, StreamObserver<State.GetResponse> observer) {
      reply(call(() -> current().backend().get(request)), observer);
    }

    @Override
    public void set(State.SetRequest request, StreamObserver<State.SetResponse> observer) {
      reply(call(() -> current().backend().set(request)), observer);
    }

    @Override
    public void delete(State.DeleteRequest request, StreamObserver<State.DeleteResponse> observer) {
      reply(call(() -> current().backend().delete(request)), observer);
    }

    @Override
    public void bulkGet(
        State.BulkGetRequest request, StreamObserver<State.BulkGetResponse> observer) {
      reply(call(() -> current().backend().bulkGet(request)), observer);
    }

    @Override
    public void bulkSet(
        State.BulkSetRequest request, StreamObserver<State.BulkSetResponse> observer) {
      reply(call(() -> current().backend().bulkSet(request)), observer);
    }

    @Override
    public void bulkDelete(
        State.BulkDeleteRequest request, StreamObserver<State.BulkDeleteResponse> observer) {
      reply(call(() -> current().backend().bulkDelete(request)), observer);
    }
  }

  private final class Transactions
      extends TransactionalStateStoreGrpc.TransactionalStateStoreImplBase {
    @Override
    public void transact(
        State.TransactionalStateRequest request,
        StreamObserver<State.TransactionalStateResponse> observer) {
      reply(call(() -> current().backend().transact(request)), observer);
    }
  }

  private final class Queries extends QueriableStateStoreGrpc.QueriableStateStoreImplBase {
    @Override
    public void query(State.QueryRequest request, StreamObserver<State.QueryResponse> observer) {
      reply(call(() -> current().backend().query(request)), observer);
    }
  }

  private final class MultiMaxSize
      extends TransactionalStoreMultiMaxSizeGrpc.TransactionalStoreMultiMaxSizeImplBase {
    @Override
    public void multiMaxSize(
        State.MultiMaxSizeRequest request, StreamObserver<State.MultiMaxSizeResponse> observer) {
      // The tier applies its default limit to a store it serves by name.
      observer.onNext(
          State.MultiMaxSizeResponse.newBuilder()
              .setMaxSize(StoreConfig.defaults("remote").maxTransactionOperations())
              .build());
      observer.onCompleted();
    }
  }

  /** Disconnects every remote store. */
  @Override
  public void close() {
    byName.values().forEach(RemoteStore::close);
    byName.clear();
    scheduler.shutdownNow();
  }
}
