package dev.mqttsidecar.state.grpc;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.dapr.InstanceKey;
import dev.mqttsidecar.dapr.InstanceRegistry;
import dev.mqttsidecar.state.RetainedStateStore;
import io.grpc.BindableService;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * The state store as the sidecar wires it: Dapr's {@code StateStore}, {@code
 * TransactionalStateStore}, {@code QueriableStateStore} and {@code TransactionalStoreMultiMaxSize}
 * services over one broker, with one store instance per {@code x-component-instance}.
 */
public final class StateStoreComponent implements AutoCloseable {
  private final InstanceRegistry<RetainedStateStore> instances;
  private final List<BindableService> services;

  /**
   * @param broker the broker whose retained messages hold the data
   * @param currentInstance the instance the call being served is for
   * @param clock the time TTLs count from; give it the broker's clock ({@code
   *     BrokerConfig.clock()})
   */
  public StateStoreComponent(Broker broker, Supplier<InstanceKey> currentInstance, Clock clock) {
    this.instances = new InstanceRegistry<>("state store", currentInstance);
    this.services =
        List.of(
            new StateStoreService(broker, instances, clock),
            new TransactionalService(instances),
            new QueryService(instances),
            new MultiMaxSizeService(instances));
  }

  /** StateStore, TransactionalStateStore, QueriableStateStore, TransactionalStoreMultiMaxSize. */
  public List<BindableService> services() {
    return services;
  }

  /** Forgets the instances a closed daprd connection initialised. */
  public void connectionClosed(String connection) {
    instances.connectionClosed(connection);
  }

  /** Drops every instance; the data stays in the broker. */
  @Override
  public void close() {
    instances.clear();
  }
}
