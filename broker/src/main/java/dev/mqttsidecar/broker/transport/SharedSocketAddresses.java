package dev.mqttsidecar.broker.transport;

import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Netty's epoll channel keeps its own local and remote socket address objects, about 190 bytes per
 * connection although every connection to a listener has the same local address and many share a
 * remote host (a gateway, a NAT). This swaps them, right after accept, for equal instances shared
 * through a small per-thread cache: the local address itself and the remote host's {@link
 * InetAddress} (the remote port stays the connection's own). Values never change, only which object
 * holds them. Where Netty's fields cannot be reached (another transport or Netty version, a module
 * that is not open) connections keep their own copies.
 */
final class SharedSocketAddresses {
  private static final int CACHE_SLOTS = 64; // direct-mapped; a colliding address replaces a slot
  private static final Class<?> EPOLL_CHANNEL = epollChannelClass();
  private static final VarHandle LOCAL = epollField("local");
  private static final VarHandle REMOTE = epollField("remote");

  private static final FastThreadLocal<Object[]> CACHE =
      new FastThreadLocal<>() {
        @Override
        protected Object[] initialValue() {
          return new Object[CACHE_SLOTS];
        }
      };

  private SharedSocketAddresses() {}

  /** Makes {@code channel}, just accepted and not yet read, use shared address objects. */
  static void share(Channel channel) {
    if (LOCAL == null || REMOTE == null || !EPOLL_CHANNEL.isInstance(channel)) {
      return;
    }
    if (LOCAL.getVolatile(channel) instanceof InetSocketAddress local) {
      LOCAL.setVolatile(channel, canonical(local));
    }
    if (REMOTE.getVolatile(channel) instanceof InetSocketAddress remote && !remote.isUnresolved()) {
      InetAddress host = canonical(remote.getAddress());
      if (host != remote.getAddress()) {
        REMOTE.setVolatile(channel, new InetSocketAddress(host, remote.getPort()));
      }
    }
  }

  /** An equal instance seen before on this thread, or {@code value}, remembered from now on. */
  private static <T> T canonical(T value) {
    Object[] slots = CACHE.get();
    int slot = value.hashCode() & (CACHE_SLOTS - 1);
    Object seen = slots[slot];
    if (seen != null && seen.getClass() == value.getClass() && seen.equals(value)) {
      @SuppressWarnings("unchecked")
      T shared = (T) seen;
      return shared;
    }
    slots[slot] = value;
    return value;
  }

  private static Class<?> epollChannelClass() {
    try {
      return Class.forName("io.netty.channel.epoll.AbstractEpollChannel");
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  private static VarHandle epollField(String name) {
    if (EPOLL_CHANNEL == null) {
      return null;
    }
    try {
      return MethodHandles.privateLookupIn(EPOLL_CHANNEL, MethodHandles.lookup())
          .findVarHandle(EPOLL_CHANNEL, name, SocketAddress.class);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }
}
