package dev.mqttsidecar.state.grpc;

import io.grpc.Status;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component instances of one kind (state store, pub/sub) that daprd initialised, one per
 * {@code x-component-instance} header value (the Component YAML's {@code metadata.name}). Which
 * instance a call is for comes from {@code currentName}, which the socket server fills in per call.
 *
 * @param <T> the instance type; closed when replaced by a second Init or at shutdown
 */
public final class InstanceRegistry<T extends AutoCloseable> {
  private static final Logger log = LoggerFactory.getLogger(InstanceRegistry.class);

  private final String kind;
  private final Supplier<String> currentName;
  private final Map<String, T> instances = new ConcurrentHashMap<>();

  /**
   * @param kind what the instances are, for messages ("state store", "pub/sub")
   * @param currentName the instance name of the call being served ("" when the header is absent)
   */
  public InstanceRegistry(String kind, Supplier<String> currentName) {
    this.kind = kind;
    this.currentName = currentName;
  }

  /** The instance name of the call being served. */
  public String currentName() {
    return currentName.get();
  }

  /**
   * The initialised instance the current call is for.
   *
   * @throws io.grpc.StatusRuntimeException FAILED_PRECONDITION if Init was never called for it
   */
  public T current() {
    String name = currentName();
    T instance = instances.get(name);
    if (instance == null) {
      throw Status.FAILED_PRECONDITION
          .withDescription(
              kind + " instance '" + name + "' is not initialised: daprd must call Init first"
                  + " (x-component-instance: '" + name + "')")
          .asRuntimeException();
    }
    return instance;
  }

  /** Registers the current call's instance, closing one that an earlier Init created. */
  public void putCurrent(T instance) {
    T previous = instances.put(currentName(), instance);
    closeQuietly(previous);
  }

  /** Closes every instance (shutdown). */
  public void closeAll() {
    instances.values().forEach(this::closeQuietly);
    instances.clear();
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
