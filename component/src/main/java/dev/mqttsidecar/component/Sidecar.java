package dev.mqttsidecar.component;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.ListenerStartException;
import dev.mqttsidecar.broker.concurrent.DaemonThreads;
import dev.mqttsidecar.broker.tls.ServerTls;
import dev.mqttsidecar.component.config.SidecarSettings;
import dev.mqttsidecar.component.console.Console;
import dev.mqttsidecar.component.dataflow.Dataflows;
import dev.mqttsidecar.component.fs.OwnedFolder;
import dev.mqttsidecar.component.fs.UnsafePathException;
import dev.mqttsidecar.component.http.HealthRoutes;
import dev.mqttsidecar.component.http.HttpCredentials;
import dev.mqttsidecar.component.http.HttpRoutes;
import dev.mqttsidecar.component.http.HttpServer;
import dev.mqttsidecar.component.http.HttpSettings;
import dev.mqttsidecar.component.http.PublishRoute;
import dev.mqttsidecar.component.metrics.SidecarMetrics;
import dev.mqttsidecar.component.pubsub.PubSubComponent;
import dev.mqttsidecar.component.remote.RemoteStateStores;
import dev.mqttsidecar.component.socket.ComponentServer;
import dev.mqttsidecar.component.socket.InstanceHeader;
import dev.mqttsidecar.component.socket.SocketGuard;
import dev.mqttsidecar.component.socket.SocketPath;
import dev.mqttsidecar.state.aio.AioStateService;
import dev.mqttsidecar.state.grpc.StateStoreComponent;
import dev.mqttsidecar.state.mqtt.StateService;
import dev.mqttsidecar.state.mqtt.StateServiceSettings;
import io.grpc.BindableService;
import io.netty.channel.epoll.Epoll;
import java.net.InetSocketAddress;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running sidecar: the embedded broker plus the socket daprd talks to. Started in dependency
 * order (broker first, so nothing reaches the socket before the data it serves is ready) and
 * stopped in reverse.
 */
public final class Sidecar implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sidecar.class);

  /** The store is the broker's alone. */
  private static final OwnedFolder.Rule DATA_DIRECTORY =
      new OwnedFolder.Rule(
          "data directory", PosixFilePermissions.fromString("rwx------"), false, false, "");

  private final SidecarSettings settings;
  private final SocketPath socketPath;
  private final BrokerConfig brokerConfig;

  /** False with {@code --no-broker}: only the socket, every component in remote mode. */
  private final boolean embeddedBroker;

  private SocketGuard guard;
  private volatile Broker broker;
  private Dataflows dataflows;
  private PubSubComponent pubSub;
  private StateStoreComponent stateStore;
  private RemoteStateStores remoteStates;
  private StateService stateService;
  private AioStateService aioStateService;
  private ComponentServer server;
  private final HttpRoutes httpRoutes = new HttpRoutes();
  private volatile HttpServer httpServer;
  private ServerTls httpTls;
  private final ExecutorService credentialChecks =
      Executors.newFixedThreadPool(2, DaemonThreads.named("http-credentials"));
  private final HttpCredentials httpCredentials;
  private final SidecarMetrics metrics = new SidecarMetrics();
  private volatile boolean brokerStarted;
  private volatile boolean socketServing;

  public Sidecar(SidecarSettings settings) {
    this(settings, true);
  }

  /**
   * @param embeddedBroker false to serve only the socket: no MQTT listener, no data directory, no
   *     embedded state; components must then name a remote broker ({@code url})
   */
  public Sidecar(SidecarSettings settings, boolean embeddedBroker) {
    this.embeddedBroker = embeddedBroker;
    this.settings = settings;
    this.socketPath = settings.socketPath();
    this.brokerConfig =
        settings.broker().toBuilder().storageObserver(metrics.storageObserver()).build();
    this.httpCredentials =
        new HttpCredentials(
            brokerConfig.authenticator(), brokerConfig.authorizer(), credentialChecks);
  }

  /**
   * Checks the folders, takes the socket path, starts the broker, then opens the socket. Cleans up
   * on failure.
   *
   * @throws UnsafePathException when another user could tamper with the sockets folder, the lock or
   *     the data directory
   */
  public void start() throws Exception {
    try {
      OwnedFolder.prepare(socketPath.folder(), socketFolderRule());
      if (embeddedBroker && brokerConfig.durability() != Durability.MEMORY) {
        OwnedFolder.prepare(brokerConfig.dataDirectory().toAbsolutePath(), DATA_DIRECTORY);
      }
      guard = SocketGuard.acquire(socketPath);
      if (!Epoll.isAvailable()) {
        // Netty's native library is missing for this platform (or turned off): both work on NIO.
        log.info(
            "Native epoll unavailable, MQTT and the component socket use Java NIO: {}",
            Epoll.unavailabilityCause().toString());
      }
      // First, so the probes answer (503 on /readyz) while the store opens.
      startHttp();
      metrics.register(httpRoutes, httpCredentials); // Dapr calls and the JVM's, in either mode
      if (embeddedBroker) {
        startBroker();
      } else if (!settings.dataflows().isEmpty()) {
        throw new ListenerStartException(
            "dataflows need the embedded broker: remove them or --no-broker", null);
      } else {
        log.info("No embedded broker (--no-broker): components connect to the broker in their url");
      }
      pubSub =
          new PubSubComponent(
              broker,
              socketPath.socket().toString(),
              InstanceHeader::current,
              brokerConfig.clock());
      stateStore = new StateStoreComponent(broker, InstanceHeader::current, brokerConfig.clock());
      if (embeddedBroker) {
        stateService =
            new StateService(broker, brokerConfig.clock(), StateServiceSettings.DEFAULTS);
        stateService.start();
        aioStateService =
            new AioStateService(
                broker,
                brokerConfig.clock(),
                AioStateService.STORE,
                StateServiceSettings.DEFAULTS.maxRequestBytes());
        aioStateService.start();
      }
      remoteStates = new RemoteStateStores(InstanceHeader::current, socketPath.socket().toString());
      List<BindableService> services = new ArrayList<>(pubSub.services());
      services.addAll(remoteStates.route(stateStore.services()));
      server =
          new ComponentServer(
              socketPath,
              settings.socketMode(),
              services,
              metrics.grpcInterceptor(),
              this::connectionClosed);
      server.start();
      socketServing = true;
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  /** The broker, what serves over it on HTTP, and the dataflows through it. */
  private void startBroker() throws Exception {
    broker = Broker.create(brokerConfig);
    broker.start();
    brokerStarted = true;
    metrics.bindBroker(broker);
    httpRoutes.post(
        PublishRoute.PATTERN, new PublishRoute(broker, httpCredentials, brokerConfig.clock()));
    if (settings.http().console()) {
      Console.over(broker, httpCredentials, brokerConfig.clock()).register(httpRoutes);
    }
    for (Listener listener : brokerConfig.listeners()) {
      InetSocketAddress bound = broker.mqttAddress(listener.name());
      log.info(
          "MQTT broker listening on {}:{} (listener {}, {}{})",
          bound.getHostString(),
          bound.getPort(),
          listener.name(),
          listener.protocol().name().toLowerCase(Locale.ROOT),
          listener.tls() == null ? "" : ", tls");
    }
    if (!settings.dataflows().isEmpty()) {
      dataflows =
          Dataflows.start(
              broker,
              settings.dataflows(),
              brokerConfig.dataDirectory().toAbsolutePath().toString());
      metrics.bindDataflows(dataflows);
    }
  }

  private void startHttp() throws InterruptedException {
    HttpSettings http = settings.http();
    if (!http.enabled()) {
      return;
    }
    HealthRoutes.register(httpRoutes, this::notReady);
    if (http.tls() != null) {
      httpTls =
          ServerTls.load(
              "HTTP server", new Listener.Tls(http.tls().cert(), http.tls().key(), null, false));
    }
    httpServer = new HttpServer(http, httpRoutes, httpTls);
    try {
      httpServer.start();
    } catch (RuntimeException e) {
      // Netty throws the bind error (address in use, not permitted) unchecked.
      throw new ListenerStartException(
          "HTTP server on " + http.host() + ":" + http.port() + ": " + e.getMessage(), e);
    }
    InetSocketAddress bound = httpServer.address();
    log.info(
        "HTTP server listening on {}:{}{}",
        bound.getHostString(),
        bound.getPort(),
        httpTls == null ? "" : " (https)");
  }

  /** What keeps {@code /readyz} from answering 200: the store, a listener, the socket. */
  private List<String> notReady() {
    List<String> reasons = new ArrayList<>();
    if (!embeddedBroker) {
      if (!socketServing) {
        reasons.add("component socket not serving");
      }
      return reasons;
    }
    Broker current = broker;
    if (!brokerStarted || current == null) {
      reasons.add("store not open, MQTT listeners not bound");
      return reasons;
    }
    for (Listener listener : brokerConfig.listeners()) {
      if (current.mqttAddress(listener.name()) == null) {
        reasons.add("MQTT listener " + listener.name() + " not bound");
      }
    }
    if (!socketServing) {
      reasons.add("component socket not serving");
    }
    return reasons;
  }

  /**
   * The HTTP server's routes, to add more (they may be added while it runs). Routes of a sidecar
   * without an HTTP server are never served.
   */
  public HttpRoutes httpRoutes() {
    return httpRoutes;
  }

  /** Authentication and authorization of HTTP requests, the same as for MQTT clients. */
  public HttpCredentials httpCredentials() {
    return httpCredentials;
  }

  /** The HTTP server's bound address, or null when it is off or not started. */
  public InetSocketAddress httpAddress() {
    HttpServer current = httpServer;
    return current == null ? null : current.address();
  }

  /**
   * daprd must be able to list the folder, so a folder created here lets the group in (as the
   * socket's default mode does), and nobody else.
   */
  private OwnedFolder.Rule socketFolderRule() {
    return new OwnedFolder.Rule(
        "socket folder",
        PosixFilePermissions.fromString("rwxr-x---"),
        true,
        settings.allowWorldWritableSocketFolder(),
        ", or set socket.allowWorldWritableFolder: true in the configuration file for a folder"
            + " shared on purpose (a Kubernetes emptyDir)");
  }

  private void connectionClosed(String connection) {
    pubSub.connectionClosed(connection);
    stateStore.connectionClosed(connection);
  }

  /** What the sidecar runs with. */
  public SidecarSettings settings() {
    return settings;
  }

  /** The running dataflows and their endpoints' status, or null when none are configured. */
  public Dataflows dataflows() {
    return dataflows;
  }

  /** The broker, once started. */
  public Broker broker() {
    return broker;
  }

  /** The state service over MQTT, or null before start and after close. */
  public StateService stateService() {
    return stateService;
  }

  /**
   * Stops accepting calls, drains them within the grace period, stops the broker, removes the
   * socket.
   */
  @Override
  public synchronized void close() {
    brokerStarted = false;
    socketServing = false;
    if (server != null) {
      pubSub.endStreams();
      server.stop(settings.shutdownGrace());
      server = null;
    }
    if (pubSub != null) {
      pubSub.close();
      pubSub = null;
    }
    if (aioStateService != null) {
      aioStateService.close();
      aioStateService = null;
    }
    if (stateService != null) {
      stateService.close();
      stateService = null;
    }
    if (stateStore != null) {
      stateStore.close();
      stateStore = null;
    }
    if (remoteStates != null) {
      remoteStates.close();
      remoteStates = null;
    }
    if (dataflows != null) {
      dataflows.close();
      dataflows = null;
    }
    if (broker != null) {
      broker.stop();
      broker = null;
    }
    if (httpServer != null) {
      httpServer.close();
      httpServer = null;
    }
    if (httpTls != null) {
      httpTls.close();
      httpTls = null;
    }
    credentialChecks.shutdownNow();
    metrics.close();
    if (guard != null) {
      guard.close();
      guard = null;
      log.info("Stopped; removed {}", socketPath.socket());
    }
  }
}
