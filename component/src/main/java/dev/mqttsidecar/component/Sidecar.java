package dev.mqttsidecar.component;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.component.pubsub.PubSubComponent;
import dev.mqttsidecar.component.socket.ComponentServer;
import dev.mqttsidecar.component.socket.InstanceHeader;
import dev.mqttsidecar.component.socket.SocketGuard;
import dev.mqttsidecar.component.socket.SocketPath;
import dev.mqttsidecar.state.grpc.StateStoreComponent;
import io.grpc.BindableService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running sidecar: the embedded broker plus the socket daprd talks to. Started in dependency
 * order (broker first, so nothing reaches the socket before the data it serves is ready) and
 * stopped in reverse.
 */
public final class Sidecar implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sidecar.class);

  private final SocketPath socketPath;
  private final BrokerConfig brokerConfig;
  private final Duration shutdownGrace;

  private SocketGuard guard;
  private Broker broker;
  private PubSubComponent pubSub;
  private StateStoreComponent stateStore;
  private ComponentServer server;

  public Sidecar(SocketPath socketPath, BrokerConfig brokerConfig, Duration shutdownGrace) {
    this.socketPath = socketPath;
    this.brokerConfig = brokerConfig;
    this.shutdownGrace = shutdownGrace;
  }

  /** Takes the socket path, starts the broker, then opens the socket. Cleans up on failure. */
  public void start() throws Exception {
    try {
      guard = SocketGuard.acquire(socketPath);
      broker = Broker.create(brokerConfig);
      broker.start();
      log.info(
          "MQTT broker listening on {}:{}",
          broker.mqttAddress().getHostString(),
          broker.mqttAddress().getPort());
      pubSub = new PubSubComponent(broker, InstanceHeader::current, brokerConfig.clock());
      stateStore = new StateStoreComponent(broker, InstanceHeader::current, brokerConfig.clock());
      List<BindableService> services = new ArrayList<>(pubSub.services());
      services.addAll(stateStore.services());
      server = new ComponentServer(socketPath, services, this::connectionClosed);
      server.start();
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private void connectionClosed(String connection) {
    pubSub.connectionClosed(connection);
    stateStore.connectionClosed(connection);
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
      server.stop(shutdownGrace);
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
