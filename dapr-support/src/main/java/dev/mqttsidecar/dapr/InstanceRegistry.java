package dev.mqttsidecar.dapr;

import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The component instances of one kind (state store, pub/sub) that daprd initialised, one per {@link
 * InstanceKey}: daprd connection and {@code x-component-instance} header value (the Component
 * YAML's {@code metadata.name}). Which instance a call is for comes from {@code currentKey}, which
 * the socket server fills in per call.
 *
 * <p>A call on a connection that never initialised the name falls back to the instance most
 * recently initialised under that name: daprd initialises a component once, so if its channel ever
 * reconnects, later calls arrive on a new connection and must still find their instance. Instances
 * hold no resources of their own, so replacing or forgetting one needs no cleanup.
 *
 * @param <T> the instance type
 */
public final class InstanceRegistry<T> {
  private final String kind;
  private final Supplier<InstanceKey> currentKey;
  private final Map<InstanceKey, T> instances = new ConcurrentHashMap<>();
  private final Map<String, T> latestByName = new ConcurrentHashMap<>();

  /**
   * @param kind what the instances are, for messages ("state store", "pub/sub")
   * @param currentKey the instance key of the call being served
   */
  public InstanceRegistry(String kind, Supplier<InstanceKey> currentKey) {
    this.kind = kind;
    this.currentKey = currentKey;
  }

  /** The instance name of the call being served. */
  public String currentName() {
    return currentKey.get().name();
  }

  /**
   * The initialised instance the current call is for.
   *
   * @throws io.grpc.StatusRuntimeException FAILED_PRECONDITION if Init was never called for it
   */
  public T current() {
    InstanceKey key = currentKey.get();
    T instance = instances.get(key);
    if (instance == null) {
      instance = latestByName.get(key.name());
    }
    if (instance == null) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              kind
                  + " instance '"
                  + key.name()
                  + "' is not initialised: daprd must call Init first"
                  + " (x-component-instance: '"
                  + key.name()
                  + "')")
          .asRuntimeException();
    }
    return instance;
  }

  /** Registers the current call's instance, replacing one that an earlier Init created. */
  public void putCurrent(T instance) {
    InstanceKey key = currentKey.get();
    instances.put(key, instance);
    latestByName.put(key.name(), instance);
  }

  /** Forgets the instances a daprd connection created; each name keeps its newest as fallback. */
  public void connectionClosed(String connection) {
    instances.keySet().removeIf(key -> key.connection().equals(connection));
  }

  /** Forgets every instance (shutdown). */
  public void clear() {
    instances.clear();
    latestByName.clear();
  }
}
