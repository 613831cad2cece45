package dev.mqttsidecar.component.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * HTTP/1.1 on one address: epoll where available, else NIO (as the MQTT listeners). Bodies are
 * aggregated up to {@link HttpSettings#maxRequestBody()}; a larger one is answered 413 by the
 * aggregator before it is read.
 */
public final class HttpServer implements AutoCloseable {
  /** Idle keep-alive connections are closed after this long. */
  private static final int IDLE_SECONDS = 120;

  private final HttpSettings settings;
  private final HttpRoutes routes;
  private final Supplier<SslContext> tls;
  private EventLoopGroup group;
  private Channel channel;

  /**
   * @param tls the current TLS context for each new connection, or null for plain HTTP
   */
  public HttpServer(HttpSettings settings, HttpRoutes routes, Supplier<SslContext> tls) {
    this.settings = settings;
    this.routes = routes;
    this.tls = tls;
  }

  /** Binds; returns once connections are accepted. */
  public void start() throws InterruptedException {
    boolean epoll = Epoll.isAvailable();
    // Two threads: probes and scrapes are light; a publish waits for the broker asynchronously.
    group =
        new MultiThreadIoEventLoopGroup(
            2,
            new DefaultThreadFactory("http-io"),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    try {
      channel =
          new ServerBootstrap()
              .group(group)
              .channel(channelType)
              // As the MQTT listeners: a burst of new connections waits instead of being dropped.
              .option(ChannelOption.SO_BACKLOG, 1024)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      pipeline(ch.pipeline());
                    }
                  })
              .bind(settings.host(), settings.port())
              .sync()
              .channel();
    } catch (InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private void pipeline(ChannelPipeline p) {
    if (tls != null) {
      p.addLast("tls", tls.get().newHandler(p.channel().alloc()));
    }
    p.addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS));
    p.addLast("idle-close", new IdleConnectionCloser());
    p.addLast("codec", new HttpServerCodec());
    p.addLast("keep-alive", new HttpServerKeepAliveHandler());
    p.addLast("aggregate", new HttpObjectAggregator(settings.maxRequestBody(), true));
    p.addLast("chunks", new ChunkedWriteHandler());
    p.addLast("routes", new RequestDispatcher(routes));
  }

  /** The bound address (the actual port when configured with 0). */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Whether the server is started and bound. */
  public boolean isBound() {
    Channel c = channel;
    return c != null && c.isActive();
  }

  /** Closes the listening socket and every connection. Idempotent. */
  @Override
  public void close() {
    if (channel != null) {
      channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
      channel = null;
    }
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      group = null;
    }
  }
}
