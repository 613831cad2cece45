package dev.mqttsidecar.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real epoll sockets on loopback: accepted connections share their address objects. */
class SharedSocketAddressesTest {
  @Test
  void acceptedConnectionsShareTheLocalAddressAndTheRemoteHost() throws Exception {
    assumeTrue(Epoll.isAvailable(), "epoll only");
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    BlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
    List<Socket> clients = new ArrayList<>();
    try {
      Channel server =
          new ServerBootstrap()
              .group(group)
              .channel(EpollServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      SharedSocketAddresses.share(ch);
                      accepted.add(ch);
                    }
                  })
              .bind("127.0.0.1", 0)
              .sync()
              .channel();
      int port = ((InetSocketAddress) server.localAddress()).getPort();
      List<Channel> channels = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        clients.add(new Socket("127.0.0.1", port));
        channels.add(accepted.poll(5, TimeUnit.SECONDS));
      }
      assertThat(channels).doesNotContainNull();
      InetSocketAddress local = (InetSocketAddress) channels.get(0).localAddress();
      InetSocketAddress remote = (InetSocketAddress) channels.get(0).remoteAddress();
      assertThat(local).isEqualTo(new InetSocketAddress("127.0.0.1", port));
      for (int i = 0; i < channels.size(); i++) {
        InetSocketAddress r = (InetSocketAddress) channels.get(i).remoteAddress();
        assertThat(channels.get(i).localAddress()).isSameAs(local);
        assertThat(r.getAddress()).isSameAs(remote.getAddress());
        assertThat(r.getPort()).isEqualTo(clients.get(i).getLocalPort()); // its own port still
      }
      server.close().sync();
    } finally {
      for (Socket s : clients) {
        s.close();
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
