package dev.mqttsidecar.component.pubsub;

import dev.mqttsidecar.broker.MessageBus;
import dev.mqttsidecar.broker.concurrent.DaemonThreads;
import dev.mqttsidecar.component.remote.ClientIds;
import dev.mqttsidecar.component.remote.RemoteMessageBus;
import dev.mqttsidecar.dapr.InstanceKey;
import dev.mqttsidecar.dapr.InstanceRegistry;
import dev.mqttsidecar.dapr.InvalidMetadataException;
import io.grpc.BindableService;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dapr's PubSub service, one instance per Component YAML ({@code x-component-instance}), each on
 * the embedded broker or, with {@code url} in its metadata, on a remote one. Owns the threads the
 * instances' streams run on and the remote connections.
 */
public final class PubSubComponent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PubSubComponent.class);

  private final InstanceRegistry<PubSubInstance> instances;
  private final ExecutorService executor;
  private final ScheduledThreadPoolExecutor scheduler;
  private final PubSubService service;

  /** Open streams of every instance, for shutdown; each removes itself when it closes. */
  private final Set<PullStream> streams = ConcurrentHashMap.newKeySet();

  /**
   * Session ids per consumer group, shared by every instance: replicas with one consumerID may come
   * from different daprd connections (separate instances) and must never get the same id.
   */
  private final Map<String, SessionSlots> slotsByGroup = new ConcurrentHashMap<>();

  /**
   * The remote connections per component name, shared by every instance of that name (several daprd
   * processes on one socket, or a daprd that restarted and initialised again): their client
   * identifiers derive from the name, and two live connections with one identifier would take each
   * other's session over at every reconnect. An Init with other connection metadata replaces them.
   */
  private final Map<String, RemoteMessageBus> remoteBuses = new HashMap<>(); // guarded by itself

  private final MessageBus embedded;
  private final String clientIdSeed;
  private final Clock clock;

  /**
   * @param embedded the broker of instances without {@code url}, or null when the sidecar runs
   *     without one (then every instance needs {@code url})
   * @param clientIdSeed what makes remote client identifiers unique to this sidecar and stable
   *     across its restarts (its socket path)
   * @param currentInstance the instance the call being served is for
   * @param clock the clock for message expiry and CloudEvent times
   */
  public PubSubComponent(
      MessageBus embedded,
      String clientIdSeed,
      Supplier<InstanceKey> currentInstance,
      Clock clock) {
    this.embedded = embedded;
    this.clientIdSeed = clientIdSeed;
    this.clock = clock;
    this.instances = new InstanceRegistry<>("pub/sub", currentInstance);
    this.executor =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            DaemonThreads.named("pubsub-stream"));
    this.scheduler = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("pubsub-timer"));
    scheduler.setRemoveOnCancelPolicy(true);
    this.service =
        new PubSubService(
            instances,
            settings ->
                new PubSubInstance(
                    instances.currentName(),
                    settings,
                    busFor(instances.currentName(), settings),
                    executor,
                    scheduler,
                    clock,
                    group -> slotsByGroup.computeIfAbsent(group, SessionSlots::new),
                    streams));
  }

  /**
   * @throws InvalidMetadataException without {@code url} when there is no embedded broker
   */
  private MessageBus busFor(String instance, PubSubSettings settings) {
    if (settings.remote() == null) {
      if (embedded == null) {
        throw new InvalidMetadataException(
            "url",
            "is required: this sidecar runs without an embedded broker (--no-broker), so the"
                + " component must name the broker to use");
      }
      return embedded;
    }
    RemoteMessageBus bus;
    RemoteMessageBus replaced;
    synchronized (remoteBuses) {
      replaced = remoteBuses.get(instance);
      if (replaced != null && replaced.settings().equals(settings.remote())) {
        return replaced;
      }
      bus =
          new RemoteMessageBus(
              settings.remote(),
              ClientIds.base(settings.remote().clientIdPrefix(), instance, clientIdSeed),
              scheduler,
              clock);
      remoteBuses.put(instance, bus);
    }
    if (replaced != null) {
      log.info(
          "pub/sub '{}' initialised with other connection metadata: its earlier remote connections"
              + " close, and their streams end",
          instance);
      replaced.close();
    }
    return bus;
  }

  /** The gRPC services to register on the component socket. */
  public List<BindableService> services() {
    return List.of(service);
  }

  /** Forgets the instances a closed daprd connection initialised (its streams ended with it). */
  public void connectionClosed(String connection) {
    instances.connectionClosed(connection);
  }

  /**
   * Ends every open PullMessages stream (their unsettled messages go back to their groups). The
   * server's shutdown would otherwise wait its whole grace period for these long-lived calls.
   */
  public void endStreams() {
    streams.forEach(PullStream::shutdown);
  }

  /** Ends every instance's streams and stops the threads. */
  @Override
  public void close() {
    endStreams();
    instances.clear();
    synchronized (remoteBuses) {
      remoteBuses.values().forEach(RemoteMessageBus::close);
    }
    scheduler.shutdownNow();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
