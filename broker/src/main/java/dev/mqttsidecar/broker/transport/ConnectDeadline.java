package dev.mqttsidecar.broker.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection that has not completed CONNECT a fixed time after it was accepted, however
 * slowly its bytes trickle in: an idle timer would start again with every byte, so a client sending
 * one byte every few seconds could hold a connection (and its slot) forever. Covers the TLS
 * handshake and the WebSocket upgrade too, as it is the first handler. {@link MqttConnection}
 * removes it once connected, which cancels the timer.
 */
final class ConnectDeadline extends ChannelInboundHandlerAdapter {
  /** The user event fired through the pipeline when the deadline passes. */
  enum Expired {
    INSTANCE
  }

  static final String NAME = "connectDeadline";

  private final long millis;
  private ScheduledFuture<?> timer;

  ConnectDeadline(long millis) {
    this.millis = millis;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    timer =
        ctx.executor()
            .schedule(
                () -> ctx.fireUserEventTriggered(Expired.INSTANCE), millis, TimeUnit.MILLISECONDS);
    super.channelActive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
  }
}
