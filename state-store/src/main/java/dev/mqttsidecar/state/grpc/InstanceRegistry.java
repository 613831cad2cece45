package dev.mqttsidecar.state.grpc;

import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component instances of one kind (state store, pub/sub) that daprd initialised, one per {@link
 * InstanceKey}: daprd connection and {@code x-component-instance} header value (the Component
 * YAML's {@code metadata.name}). Which instance a call is for comes from {@code currentKey}, which
 * the socket server fills in per call.
 *
 * <p>A call on a connection that never initialised the name falls back to the instance most
 * recently initialised under that name: daprd initialises a component once, so if its channel ever
 * reconnects, later calls arrive on a new connection and must still find their instance.
 *
 * @param <T> the instance type; closed when replaced by a second Init, when its connection closes
 *     (unless it is still the fallback for its name) and at shutdown
 */
public final class InstanceRegistry<T extends AutoCloseable> {
  private static final Logger log = LoggerFactory.getLogger(InstanceRegistry.class);

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

  /** Registers the current call's instance, closing one that an earlier Init created. */
  public synchronized void putCurrent(T instance) {
    InstanceKey key = currentKey.get();
    T previous = instances.put(key, instance);
    latestByName.put(key.name(), instance);
    closeQuietly(previous);
  }

  /** Closes the instances a daprd connection created, unless one is still its name's fallback. */
  public synchronized void connectionClosed(String connection) {
    instances
        .entrySet()
        .removeIf(
            entry -> {
              if (!entry.getKey().connection().equals(connection)) {
                return false;
              }
              if (latestByName.get(entry.getKey().name()) != entry.getValue()) {
                closeQuietly(entry.getValue());
              }
              return true;
            });
  }

  /** Closes every instance (shutdown). */
  public synchronized void closeAll() {
    instances.values().forEach(this::closeQuietly);
    latestByName.values().forEach(this::closeQuietly);
    instances.clear();
    latestByName.clear();
  }

  private void closeQuietly(T instance) {
    if (instance == null) {
      return;
    }
    try {
      instance.close();
    } catch (Exception e) {
      log.warn("closing {} instance failed", kind, e);
    }
  }
}
