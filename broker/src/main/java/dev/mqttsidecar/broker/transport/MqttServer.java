package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.BrokerStatistics;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.ListenerStartException;
import dev.mqttsidecar.broker.core.BrokerServices;
import dev.mqttsidecar.broker.persistence.StoredWill;
import dev.mqttsidecar.broker.persistence.WillPersistence;
import dev.mqttsidecar.broker.sys.ClientEvents;
import dev.mqttsidecar.broker.sys.ConnectedClients;
import dev.mqttsidecar.broker.sys.SysTopics;
import dev.mqttsidecar.broker.sys.TrafficStats;
import dev.mqttsidecar.broker.tls.ReloadingSslContext;
import dev.mqttsidecar.broker.tls.TlsFileException;
import dev.mqttsidecar.broker.tls.TlsReloader;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The MQTT listeners: epoll on Linux when available, NIO elsewhere. */
public final class MqttServer {
  private static final Logger LOG = LoggerFactory.getLogger(MqttServer.class);

  private static final RecvByteBufAllocator RECEIVE_BUFFERS = new PerThreadReceiveBuffers();

  private final BrokerServices services;
  private final Wills wills;
  private final TrafficStats stats = new TrafficStats();
  private final ClientRefusals refusals = new ClientRefusals(stats);
  private final ClientEvents events;
  private final ConnectedClients connected = new ConnectedClients();
  private final ConnAckProperties connAckProperties;
  private final SysTopics sys;
  private final AtomicInteger connections = new AtomicInteger();
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private EventLoopGroup bossGroup;
  private EventLoopGroup workerGroup;
  private final Map<String, Channel> serverChannels = new ConcurrentHashMap<>();
  private TlsReloader tlsReloader;

  /**
   * @param services the broker's services
   * @param storedWills where wills are kept while they may still fire ({@link
   *     WillPersistence#NONE}: in memory only)
   */
  public MqttServer(BrokerServices services, WillPersistence storedWills) {
    this.services = services;
    this.wills =
        new Wills(
            services.publisher(),
            services.sessions(),
            services.scheduler(),
            services.config().clock(),
            new PendingWills(
                storedWills, new PendingWillLimit(services.config().maxPendingWills())));
    this.events =
        new ClientEvents(
            services.publisher(), services.subscriptions(), services.config().lifecycleEvents());
    this.sys = new SysTopics(services, stats);
    this.connAckProperties = new ConnAckProperties(services.config());
    PendingWillLimit willLimit = wills.held().limit();
    sys.add("wills/pending", willLimit::pending);
    sys.add("wills/refused", willLimit::refused);
  }

  /** The counters {@code $SYS} reports, for metrics exporters. */
  public BrokerStatistics statistics() {
    return sys.statistics();
  }

  /**
   * Takes over the stored wills of connections the previous process lost, before {@link #start()}:
   * each is published after its delay unless its client connects first.
   *
   * @return how many were published at once
   */
  public int restoreWills(Collection<StoredWill> stored) {
    return wills.restore(stored);
  }

  /**
   * Binds the listeners; returns once they accept connections.
   *
   * @throws ListenerStartException when a listener's TLS files cannot be used (nothing is bound)
   */
  public void start() throws InterruptedException {
    Map<String, ReloadingSslContext> tls = loadTls();
    boolean epoll = Epoll.isAvailable();
    bossGroup =
        new MultiThreadIoEventLoopGroup(
            1,
            new DefaultThreadFactory("mqtt-accept"),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    // One event loop per core (Netty's default is two): sessions run on their connection's loop
    // and nothing there blocks, so more loops would only add thread hops between them.
    workerGroup =
        new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(),
            new DefaultThreadFactory("mqtt-io"),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    for (Listener listener : services.config().listeners()) {
      ServerBootstrap b =
          new ServerBootstrap()
              .group(bossGroup, workerGroup)
              .channel(channelType)
              .option(ChannelOption.SO_BACKLOG, 1024)
              // No TCP_NODELAY here: Netty sets it on every accepted socket already (epoll and
              // NIO),
              // and setting it again would cost a system call per connection.
              // One allocator for all, with one sizing handle per event loop, not per connection.
              .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_BUFFERS)
              // The kernel finds peers that vanished without a FIN (a device that lost power)
              // even on connections whose MQTT keep alive is 0.
              .childOption(ChannelOption.SO_KEEPALIVE, true)
              // QoS 0 deliveries are dropped while a channel is unwritable (MqttOutbound). Netty's
              // default 64 KiB high-water mark turned short bursts into drops; 1 MiB per
              // connection absorbs them and still bounds what a slow receiver can hold.
              .childOption(
                  ChannelOption.WRITE_BUFFER_WATER_MARK,
                  new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
              .childHandler(
                  new ListenerInitializer(listener, tls.get(listener.name()), services, this));
      Channel bound = b.bind(listener.host(), listener.port()).sync().channel();
      serverChannels.put(listener.name(), bound);
      LOG.debug( // the sidecar logs each listener once it is started, with its bound port
          "MQTT listener {} on {} ({}, {})",
          listener.name(),
          bound.localAddress(),
          describe(listener),
          epoll ? "epoll" : "nio");
    }
    sys.start(services.config().sysInterval());
  }

  /**
   * Reads the TLS files of every TLS listener before anything binds, and watches them from then on.
   */
  private Map<String, ReloadingSslContext> loadTls() {
    Map<String, ReloadingSslContext> contexts = new LinkedHashMap<>();
    for (Listener listener : services.config().listeners()) {
      if (listener.tls() != null) {
        try {
          contexts.put(listener.name(), ReloadingSslContext.load(listener));
        } catch (TlsFileException e) {
          throw new ListenerStartException(
              "listener " + listener.name() + ": " + e.getMessage(), e);
        }
      }
    }
    if (!contexts.isEmpty()) {
      tlsReloader = new TlsReloader(TlsReloader.DEFAULT_PERIOD);
      contexts.values().forEach(tlsReloader::watch);
    }
    return contexts;
  }

  private static String describe(Listener listener) {
    String protocol =
        listener.protocol() == Listener.Protocol.WEBSOCKET ? "mqtt over websocket" : "mqtt";
    return listener.tls() == null ? protocol : protocol + " over tls";
  }

  /** Disconnects every client (5.0: DISCONNECT 0x8B), closes the listener and the event loops. */
  public void stop() {
    if (tlsReloader != null) {
      tlsReloader.close();
    }
    sys.stop();
    for (Channel listener : serverChannels.values()) {
      listener.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    for (Channel ch : channels) {
      MqttConnection c = ch.pipeline().get(MqttConnection.class);
      if (c != null) {
        ch.eventLoop().execute(c::serverShuttingDown);
      } else {
        ch.close();
      }
    }
    channels.newCloseFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (bossGroup != null) {
      bossGroup
          .shutdownGracefully(0, 2, TimeUnit.SECONDS)
          .awaitUninterruptibly(5, TimeUnit.SECONDS);
      workerGroup
          .shutdownGracefully(0, 2, TimeUnit.SECONDS)
          .awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  /**
   * The address the listener named {@code listener} is bound to.
   *
   * @throws IllegalArgumentException when there is no such listener or it is not bound
   */
  public InetSocketAddress boundAddress(String listener) {
    Channel channel = serverChannels.get(listener);
    if (channel == null) {
      throw new IllegalArgumentException("no bound listener named " + listener);
    }
    return (InetSocketAddress) channel.localAddress();
  }

  /** Traffic counters of this listener. */
  /** The MQTT clients connected now. */
  public ConnectedClients connectedClients() {
    return connected;
  }

  /** The current $SYS values by topic suffix. */
  public Map<String, String> sysSnapshot() {
    return sys.snapshot();
  }

  TrafficStats stats() {
    return stats;
  }

  /** Refusals of clients' topics and filters, broker-wide. */
  ClientRefusals refusals() {
    return refusals;
  }

  ClientEvents events() {
    return events;
  }

  Wills wills() {
    return wills;
  }

  ConnAckProperties connAckProperties() {
    return connAckProperties;
  }

  /**
   * Counts a connection just accepted, or refuses it when {@code maxConnections} are open; a
   * counted connection is uncounted by {@link #closed}, and disconnected on {@link #stop()}.
   */
  boolean admit(Channel connection) {
    if (connections.incrementAndGet() > services.config().maxConnections()) {
      connections.decrementAndGet();
      stats.countConnectionRefused();
      return false;
    }
    channels.add(connection);
    return true;
  }

  /**
   * An admitted connection's pipeline was torn down after it closed. Called by its {@link
   * MqttConnection} rather than by a close listener: one listener object less per connection.
   */
  void closed(Channel connection) {
    connections.decrementAndGet();
  }
}
