package dev.mqttsidecar.bench.dapr;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The sidecar's Unix socket seen from daprd: one gRPC connection, and on every call the {@code
 * x-component-instance} header naming the Component YAML the call is for.
 */
public final class ComponentSocket implements AutoCloseable {
  private static final Metadata.Key<String> INSTANCE =
      Metadata.Key.of("x-component-instance", Metadata.ASCII_STRING_MARSHALLER);

  private final EventLoopGroup loop =
      new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final ManagedChannel channel;

  public ComponentSocket(Path socket) {
    channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollDomainSocketChannel.class)
            .eventLoopGroup(loop)
            // Callbacks run on the event loop: the generator spends its CPU on calls, not handoffs.
            .directExecutor()
            .usePlaintext()
            .build();
  }

  public ManagedChannel channel() {
    return channel;
  }

  /** The interceptor that addresses calls to the component instance {@code name}. */
  public static ClientInterceptor instance(String name) {
    Metadata md = new Metadata();
    md.put(INSTANCE, name);
    return MetadataUtils.newAttachHeadersInterceptor(md);
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
