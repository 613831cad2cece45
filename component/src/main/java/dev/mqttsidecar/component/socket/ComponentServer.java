package dev.mqttsidecar.component.socket;

import dev.mqttsidecar.broker.concurrent.DaemonThreads;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server daprd talks to: Unix domain socket (epoll, else NIO), the component services,
 * server reflection v1alpha (what daprd's discovery calls) and v1, and the standard health service.
 */
public final class ComponentServer {
  private static final Logger log = LoggerFactory.getLogger(ComponentServer.class);

  /**
   * Largest request accepted. gRPC's default of 4 MiB would refuse a state value at the store's own
   * 4 MiB limit once framing is added, and bulk requests carry many values.
   */
  private static final int MAX_INBOUND_MESSAGE_BYTES = 16 * 1024 * 1024;

  private static final int CALL_THREADS =
      Math.max(8, 4 * Runtime.getRuntime().availableProcessors());

  private final SocketPath path;
  private final Set<PosixFilePermission> socketMode;
  private final List<BindableService> services;
  private final ServerInterceptor callMeters;
  private final Consumer<String> connectionClosed;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private ExecutorService calls;
  private Server server;
  private HealthStatusManager health;

  /**
   * @param socketMode the socket file's permissions: who may connect (connecting needs write
   *     permission on the socket file)
   * @param services the component services; each call carries its {@link InstanceHeader} key
   * @param callMeters times every call of the services (metrics)
   * @param connectionClosed told the id of every daprd connection that closes
   */
  public ComponentServer(
      SocketPath path,
      Set<PosixFilePermission> socketMode,
      List<BindableService> services,
      ServerInterceptor callMeters,
      Consumer<String> connectionClosed) {
    this.path = path;
    this.socketMode = Set.copyOf(socketMode);
    this.services = List.copyOf(services);
    this.callMeters = callMeters;
    this.connectionClosed = connectionClosed;
  }

  /** Binds the socket. The caller holds the {@link SocketGuard} for the path. */
  public void start() throws IOException {
    DomainSocketTransport transport = DomainSocketTransport.forSocket(path.socket());
    boss =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("socket-accept"), transport.ioHandlers());
    workers =
        new MultiThreadIoEventLoopGroup(
            0, new DefaultThreadFactory("socket-io"), transport.ioHandlers());
    health = new HealthStatusManager();
    calls = Executors.newFixedThreadPool(CALL_THREADS, DaemonThreads.named("component-calls"));
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(transport.address())
            .channelType(transport.channelType())
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            // A fixed pool instead of gRPC's default cached one, which costs a thread hand-over
            // per call. Writes answer from storage callbacks; only reads of values not in the
            // cache and Init wait, and a few threads cover those.
            .executor(calls)
            .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
            .addTransportFilter(InstanceHeader.connections(connectionClosed))
            .addService(ProtoReflectionService.newInstance())
            .addService(ProtoReflectionServiceV1.newInstance())
            .addService(health.getHealthService());
    ServerInterceptor instanceHeader = InstanceHeader.interceptor();
    for (BindableService service : services) {
      // Interceptors run last-added first: the meters time the call with the header handling.
      builder.addService(ServerInterceptors.intercept(service, instanceHeader, callMeters));
    }
    try {
      server = builder.build().start();
    } catch (IOException | RuntimeException e) {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      calls.shutdownNow();
      throw e;
    }
    // bind(2) creates the file with the process umask; set the configured mode at once. The
    // folder check keeps other users out of the folder meanwhile.
    try {
      Files.setPosixFilePermissions(path.socket(), socketMode);
    } catch (IOException | RuntimeException e) {
      stop(Duration.ZERO);
      throw e;
    }
    log.info(
        "Dapr pluggable component socket listening on {} (mode {}, {})",
        path.socket(),
        PosixFilePermissions.toString(socketMode),
        transport.description());
  }

  /**
   * Stops accepting calls, lets running calls finish for up to {@code grace}, then cancels the
   * rest. Streams (PullMessages) are long-lived, so they are cancelled once the grace period is
   * over.
   */
  public void stop(Duration grace) {
    if (server == null) {
      return;
    }
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.info("Cancelling calls still running after {} ms", grace.toMillis());
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    calls.shutdown();
    server = null;
  }
}
