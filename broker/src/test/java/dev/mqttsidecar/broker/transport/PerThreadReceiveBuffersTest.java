package dev.mqttsidecar.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.RecvByteBufAllocator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PerThreadReceiveBuffersTest {
  private final PerThreadReceiveBuffers buffers = new PerThreadReceiveBuffers();

  @Test
  void connectionsOnOneThreadShareASizingHandleAndEachThreadHasItsOwn() throws Exception {
    RecvByteBufAllocator.Handle first = buffers.newHandle();
    assertThat(buffers.newHandle()).isSameAs(first);
    RecvByteBufAllocator.Handle elsewhere =
        CompletableFuture.supplyAsync(buffers::newHandle).get(5, TimeUnit.SECONDS);
    assertThat(elsewhere).isNotNull().isNotSameAs(first);
    assertThat(first).isInstanceOf(RecvByteBufAllocator.ExtendedHandle.class); // as epoll needs
  }
}
