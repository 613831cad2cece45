package dev.mqttsidecar.broker.transport;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Sizes receive buffers with one adaptive handle per event-loop thread instead of one per
 * connection (about 110 bytes each, kept for the connection's life). A handle only carries state
 * within one read of one channel: a read starts with {@code reset} and ends before the thread reads
 * another channel, and a channel is read only on its own event loop, which is also the thread that
 * asks for its handle. The size guess then follows the thread's recent reads rather than one
 * connection's, which for MQTT packets is no worse.
 */
final class PerThreadReceiveBuffers implements RecvByteBufAllocator {
  private final FastThreadLocal<Handle> handles =
      new FastThreadLocal<>() {
        @Override
        protected Handle initialValue() {
          return new AdaptiveRecvByteBufAllocator().newHandle();
        }
      };

  @Override
  public Handle newHandle() {
    return handles.get();
  }
}
