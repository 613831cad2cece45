package dev.mqttsidecar.component.pubsub;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.concurrent.DaemonThreads;
import dev.mqttsidecar.dapr.InstanceKey;
import dev.mqttsidecar.dapr.InstanceRegistry;
import io.grpc.BindableService;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Dapr's PubSub service on the embedded broker, one instance per Component YAML ({@code
 * x-component-instance}). Owns the threads the instances' streams run on.
 */
public final class PubSubComponent implements AutoCloseable {
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
   * @param broker the broker every instance publishes to and subscribes at
   * @param currentInstance the instance the call being served is for
   * @param clock the clock for message expiry and CloudEvent times
   */
  public PubSubComponent(Broker broker, Supplier<InstanceKey> currentInstance, Clock clock) {
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
                    broker,
                    executor,
                    scheduler,
                    clock,
                    group -> slotsByGroup.computeIfAbsent(group, SessionSlots::new),
                    streams));
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
