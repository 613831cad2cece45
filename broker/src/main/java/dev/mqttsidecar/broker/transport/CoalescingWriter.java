package dev.mqttsidecar.broker.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;

/**
 * Writes to one connection that share a flush: on the event loop a write is queued and one flush is
 * scheduled behind the tasks and I/O events already waiting, so a burst of deliveries and
 * acknowledgements leaves in one system call instead of one each. A write from another thread
 * flushes at once. Every write is followed by a flush; only its timing changes.
 */
final class CoalescingWriter {
  private final Channel channel;
  private final Runnable flushTask = this::flush;
  private boolean flushScheduled; // event-loop confined

  CoalescingWriter(Channel channel) {
    this.channel = channel;
  }

  void write(Object packet) {
    EventLoop loop = channel.eventLoop();
    if (!loop.inEventLoop()) {
      channel.writeAndFlush(packet);
      return;
    }
    // No promise per packet: nobody waits for one, and a failed write reaches exceptionCaught.
    channel.write(packet, channel.voidPromise());
    if (!flushScheduled) {
      flushScheduled = true;
      try {
        loop.execute(flushTask);
      } catch (RejectedExecutionException e) {
        flush(); // the loop is shutting down: flush now rather than never
      }
    }
  }

  private void flush() {
    flushScheduled = false;
    channel.flush();
  }
}
