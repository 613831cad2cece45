package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.codec.BatchEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttMessage;
import java.util.concurrent.RejectedExecutionException;

/**
 * Writes to one connection that share a flush: on the event loop a write is queued and one flush is
 * scheduled behind the tasks and I/O events already waiting, so a burst of deliveries and
 * acknowledgements leaves in one system call instead of one each. The packets sent for every
 * message are encoded into one buffer per flush ({@link BatchEncoder}) rather than a buffer, a
 * pipeline pass and an outbound entry each. A write from another thread flushes at once. Every
 * write is followed by a flush; only its timing changes.
 */
final class CoalescingWriter {
  /**
   * Encoded bytes handed to the channel at once: the channel's writability (which drops QoS 0 and
   * holds back QoS 1/2 while a client reads slowly) counts them from then on.
   */
  private static final int BATCH_LIMIT = 16 * 1024;

  private final Channel channel;
  private final Runnable flushTask = this::flush;
  private boolean flushScheduled; // event-loop confined
  private ByteBuf batch; // encoded packets not yet written to the channel; event-loop confined

  CoalescingWriter(Channel channel) {
    this.channel = channel;
  }

  /**
   * @param mqtt5 whether the connection speaks MQTT 5.0
   */
  void write(Object packet, boolean mqtt5) {
    EventLoop loop = channel.eventLoop();
    if (!loop.inEventLoop()) {
      channel.writeAndFlush(packet);
      return;
    }
    if (BatchEncoder.handles(packet)) {
      if (batch == null) {
        batch = channel.alloc().ioBuffer();
      }
      BatchEncoder.encode((MqttMessage) packet, mqtt5, batch);
      if (batch.readableBytes() >= BATCH_LIMIT) {
        writeBatch();
      }
    } else {
      writeBatch();
      // No promise per packet: nobody waits for one, and a failed write reaches exceptionCaught.
      channel.write(packet, channel.voidPromise());
    }
    if (!flushScheduled) {
      flushScheduled = true;
      try {
        loop.execute(flushTask);
      } catch (RejectedExecutionException e) {
        flush(); // the loop is shutting down: flush now rather than never
      }
    }
  }

  /**
   * Hands the encoded packets to the channel, ahead of whatever is written next; the connection
   * calls it before any packet written around this writer, so every packet keeps its order.
   */
  void writeBatch() {
    ByteBuf encoded = batch;
    if (encoded != null) {
      batch = null;
      channel.write(encoded, channel.voidPromise());
    }
  }

  private void flush() {
    flushScheduled = false;
    writeBatch();
    channel.flush();
  }
}
