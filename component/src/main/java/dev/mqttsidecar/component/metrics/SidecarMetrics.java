package dev.mqttsidecar.component.metrics;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.StorageObserver;
import dev.mqttsidecar.component.dataflow.Dataflows;
import dev.mqttsidecar.component.http.HttpCredentials;
import dev.mqttsidecar.component.http.HttpRoutes;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sidecar's meters in one registry, served as {@code GET /metrics}: the broker's counters, the
 * Dapr calls, the store's disk latency and the JVM's. Parts that start later (the broker, and
 * whatever else registers a {@link MeterBinder}) are bound with {@link #bind}.
 */
public final class SidecarMetrics implements AutoCloseable {
  // PrometheusConfig.DEFAULT looks its settings up (and validates them) on every read, which a
  // scrape does once per meter: these are fixed.
  private static final PrometheusConfig CONFIG =
      new PrometheusConfig() {
        @Override
        public String get(String key) {
          return null;
        }

        @Override
        public boolean descriptions() {
          return true;
        }
      };

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(CONFIG);
  private final StorageTimers storage = new StorageTimers(registry);
  private final GrpcCallMeters grpc = new GrpcCallMeters(registry);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Scraper scraper = new Scraper(registry);
  // Micrometer's function meters hold what they read weakly: the binders (and what they read)
  // must live as long as the registry.
  private final List<MeterBinder> bound = new CopyOnWriteArrayList<>();

  public SidecarMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    bind(new ThreadMeters());
    new ClassLoaderMetrics().bindTo(registry);
    bind(new ProcessorMeters());
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /** Told by the durable store how long its writes and fsyncs take. */
  public StorageObserver storageObserver() {
    return storage;
  }

  /** Times the calls on the component socket. */
  public ServerInterceptor grpcInterceptor() {
    return grpc;
  }

  /** The broker's counters, once it runs. */
  public void bindBroker(Broker broker) {
    bind(new BrokerMeters(broker.statistics()));
    bind(new QueueDepthMeters(broker.inspector()));
  }

  /** The endpoints' and dataflows' status. */
  public void bindDataflows(Dataflows dataflows) {
    bind(new DataflowMeters(dataflows));
  }

  public void bind(MeterBinder binder) {
    bound.add(binder);
    binder.bindTo(registry);
    if (binder instanceof SnapshotBinder snapshot) {
      scraper.add(snapshot);
    }
  }

  /** Serves {@code GET /metrics}, guarded as {@code $SYS} is. */
  public void register(HttpRoutes routes, HttpCredentials credentials) {
    routes.get(MetricsRoute.PATH, new MetricsRoute(scraper, credentials));
  }

  @Override
  public void close() {
    scraper.close();
    gc.close();
    registry.close();
  }
}
