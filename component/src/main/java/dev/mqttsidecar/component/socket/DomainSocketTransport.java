package dev.mqttsidecar.component.socket;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * How the component socket is served: Netty's native epoll transport where its library loads (Linux
 * x86-64 and arm64), else Java's own Unix domain sockets through NIO (Java 16+), so a platform
 * without the native library still serves daprd.
 *
 * @param description how the start-up log names it
 */
record DomainSocketTransport(
    String description,
    IoHandlerFactory ioHandlers,
    Class<? extends ServerChannel> channelType,
    SocketAddress address) {

  static DomainSocketTransport forSocket(Path socket) {
    if (Epoll.isAvailable()) {
      return new DomainSocketTransport(
          "epoll",
          EpollIoHandler.newFactory(),
          EpollServerDomainSocketChannel.class,
          new DomainSocketAddress(socket.toString()));
    }
    return new DomainSocketTransport(
        "Java NIO",
        NioIoHandler.newFactory(),
        NioServerDomainSocketChannel.class,
        UnixDomainSocketAddress.of(socket));
  }
}
