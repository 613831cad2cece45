package dev.mqttsidecar.component;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.component.config.SidecarSettings;
import dev.mqttsidecar.component.dataflow.Dataflows;
import dev.mqttsidecar.component.fs.OwnedFolder;
import dev.mqttsidecar.component.fs.UnsafePathException;
import dev.mqttsidecar.component.pubsub.PubSubComponent;
import dev.mqttsidecar.component.socket.ComponentServer;
import dev.mqttsidecar.component.socket.InstanceHeader;
import dev.mqttsidecar.component.socket.SocketGuard;
import dev.mqttsidecar.component.socket.SocketPath;
import dev.mqttsidecar.state.grpc.StateStoreComponent;
import io.grpc.BindableService;
import java.net.InetSocketAddress;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  private SocketGuard guard;
  private Broker broker;
  private Dataflows dataflows;
  private PubSubComponent pubSub;
  private StateStoreComponent stateStore;
  private ComponentServer server;

  public Sidecar(SidecarSettings settings) {
    this.settings = settings;
    this.socketPath = settings.socketPath();
    this.brokerConfig = settings.broker();
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
      if (brokerConfig.durability() != Durability.MEMORY) {
        OwnedFolder.prepare(brokerConfig.dataDirectory().toAbsolutePath(), DATA_DIRECTORY);
      }
      guard = SocketGuard.acquire(socketPath);
      broker = Broker.create(brokerConfig);
      broker.start();
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
      }
      pubSub = new PubSubComponent(broker, InstanceHeader::current, brokerConfig.clock());
      stateStore = new StateStoreComponent(broker, InstanceHeader::current, brokerConfig.clock());
      List<BindableService> services = new ArrayList<>(pubSub.services());
      services.addAll(stateStore.services());
      server =
          new ComponentServer(socketPath, settings.socketMode(), services, this::connectionClosed);
      server.start();
    } catch (Exception | Error e) {
      close();
      throw e;
    }
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

  /**
   * Stops accepting calls, drains them within the grace period, stops the broker, removes the
   * socket.
   */
  @Override
  public synchronized void close() {
    if (server != null) {
      pubSub.endStreams();
      server.stop(settings.shutdownGrace());
      server = null;
    }
    if (pubSub != null) {
      pubSub.close();
      pubSub = null;
    }
    if (stateStore != null) {
      stateStore.close();
      stateStore = null;
    }
    if (dataflows != null) {
      dataflows.close();
      dataflows = null;
    }
    if (broker != null) {
      broker.stop();
      broker = null;
    }
    if (guard != null) {
      guard.close();
      guard = null;
      log.info("Stopped; removed {}", socketPath.socket());
    }
  }
}
