package dev.mqttsidecar.component.dataflow;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.component.endpoint.EndpointConnection;
import dev.mqttsidecar.component.endpoint.EndpointSettings;
import dev.mqttsidecar.component.endpoint.EndpointStatus;
import dev.mqttsidecar.component.endpoint.RemoteMessage;
import dev.mqttsidecar.component.endpoint.StableClientId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running dataflows: one connection per endpoint that a flow uses (shared by all its flows),
 * the flows, and a status line in the log whenever something changed. {@link #endpoints()} and
 * {@link #flows()} are the read-only view for metrics.
 */
public final class Dataflows implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dataflows.class);
  static final Duration STATUS_INTERVAL = Duration.ofSeconds(30);
  private static final int EMBEDDED_INFLIGHT = 100;

  private final ScheduledExecutorService scheduler;
  private final Map<String, EndpointConnection> connections = new LinkedHashMap<>();
  private final List<Dataflow> flows = new ArrayList<>();
  private final List<EmbeddedSource> sources = new ArrayList<>();
  private final Map<String, Object> lastLogged = new HashMap<>();

  private Dataflows(ScheduledExecutorService scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Connects the endpoints the flows use and starts the flows.
   *
   * @param instance what tells this sidecar apart from others on the host (its data directory),
   *     part of the endpoints' client identifiers
   * @throws IllegalArgumentException for flows that form a loop or name an unknown endpoint
   */
  public static Dataflows start(Broker broker, DataflowSettings settings, String instance) {
    LoopCheck.find(settings.flows())
        .ifPresent(
            loop -> {
              throw new IllegalArgumentException(loop);
            });
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dataflows");
              t.setDaemon(true);
              return t;
            });
    Dataflows dataflows = new Dataflows(scheduler);
    try {
      dataflows.build(broker, settings, instance);
    } catch (RuntimeException e) {
      dataflows.close();
      throw e;
    }
    return dataflows;
  }

  private void build(Broker broker, DataflowSettings settings, String instance) {
    // Stable across restarts of this sidecar, distinct between sidecars: names who forwarded last.
    HopLimit hopLimit =
        new HopLimit(StableClientId.of(EndpointSettings.DEFAULT_CLIENT_ID_PREFIX, "", instance));
    Map<String, EndpointSettings> endpoints = new HashMap<>();
    settings.endpoints().forEach(e -> endpoints.put(e.name(), e));
    for (FlowSettings flow : settings.flows()) {
      for (String name : new String[] {flow.sourceEndpoint(), flow.destinationEndpoint()}) {
        if (name != null && !connections.containsKey(name)) {
          EndpointSettings endpoint = endpoints.get(name);
          if (endpoint == null) {
            throw new IllegalArgumentException(
                "dataflow '" + flow.name() + "' names an unknown endpoint '" + name + "'");
          }
          String clientId = StableClientId.of(endpoint.clientIdPrefix(), name, instance);
          connections.put(name, new EndpointConnection(endpoint, clientId, scheduler));
        }
      }
    }
    for (FlowSettings flow : settings.flows()) {
      EndpointConnection out = connections.get(flow.destinationEndpoint());
      EndpointConnection in = connections.get(flow.sourceEndpoint());
      boolean keepRetain =
          in == null || in.settings().retain() == EndpointSettings.RetainPolicy.KEEP;
      Destination destination =
          out == null ? new EmbeddedDestination(broker, keepRetain) : new EndpointDestination(out);
      Dataflow dataflow = new Dataflow(flow, destination, broker, scheduler, hopLimit);
      flows.add(dataflow);
      if (in == null) {
        sources.add(
            new EmbeddedSource(
                broker,
                flow,
                dataflow,
                out == null ? EMBEDDED_INFLIGHT : out.settings().maxInflightMessages(),
                out == null
                    ? EndpointSettings.DEFAULT_SESSION_EXPIRY
                    : out.settings().sessionExpiry()));
      } else {
        for (String filter : flow.sourceTopics()) {
          in.subscribe(
              filter,
              received ->
                  dataflow.handle(message(received.message()), received.acknowledge()::run));
        }
      }
      log.info(
          "dataflow {}: {} {} -> {} {} ({})",
          flow.name(),
          FlowSettings.side(flow.sourceEndpoint()),
          flow.sourceTopics(),
          FlowSettings.side(flow.destinationEndpoint()),
          flow.destinationTopic(),
          flow.formatName());
    }
    connections.values().forEach(EndpointConnection::start);
    long every = STATUS_INTERVAL.toMillis();
    scheduler.scheduleAtFixedRate(this::logChanges, every, every, TimeUnit.MILLISECONDS);
  }

  private static FlowMessage message(RemoteMessage m) {
    return new FlowMessage(
        m.topic(), m.payload(), m.qos(), m.retain(), m.contentType(), m.userProperties());
  }

  /** Each endpoint's connection state and counters, in configuration order. */
  public List<EndpointStatus> endpoints() {
    return connections.values().stream().map(EndpointConnection::status).toList();
  }

  /** Each dataflow's counters, in configuration order. */
  public List<DataflowStatus> flows() {
    return flows.stream().map(Dataflow::status).toList();
  }

  /** An INFO line per endpoint and flow whose figures changed since the last one. */
  private void logChanges() {
    for (EndpointStatus status : endpoints()) {
      if (!status.equals(lastLogged.put("endpoint " + status.name(), status))) {
        log.info(status.summary());
      }
    }
    for (DataflowStatus status : flows()) {
      if (!status.equals(lastLogged.put("flow " + status.name(), status))) {
        log.info(status.summary());
      }
    }
  }

  /** Stops reading, disconnects the endpoints; what is not yet settled stays with its source. */
  @Override
  public void close() {
    sources.forEach(EmbeddedSource::close);
    connections.values().forEach(EndpointConnection::close);
    scheduler.shutdownNow();
  }
}
