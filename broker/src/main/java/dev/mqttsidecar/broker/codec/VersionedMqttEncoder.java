package dev.mqttsidecar.broker.codec;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Netty's {@link MqttEncoder}, for the packets {@link BatchEncoder} does not take, told the
 * connection's protocol version for each write rather than reading it from a channel attribute that
 * every connection would keep for its whole life ({@link CapturingContext}).
 */
public final class VersionedMqttEncoder {
  private static final FastThreadLocal<VersionedMqttEncoder> PER_THREAD =
      new FastThreadLocal<>() {
        @Override
        protected VersionedMqttEncoder initialValue() {
          return new VersionedMqttEncoder();
        }
      };

  private final CapturingContext context = new CapturingContext();
  private boolean busy;

  private VersionedMqttEncoder() {}

  /**
   * Encodes {@code msg} if it is an MQTT packet and writes it to {@code ctx}; passes anything else
   * through.
   *
   * @param mqtt5 whether the connection speaks MQTT 5.0
   */
  public static void write(
      ChannelHandlerContext ctx, Object msg, ChannelPromise promise, boolean mqtt5)
      throws Exception {
    VersionedMqttEncoder shared = PER_THREAD.get();
    // A write made while another is encoded on this thread (from a listener) gets its own.
    VersionedMqttEncoder encoder = shared.busy ? new VersionedMqttEncoder() : shared;
    encoder.busy = true;
    encoder.context.delegate(ctx, mqtt5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1);
    try {
      MqttEncoder.INSTANCE.write(encoder.context, msg, promise);
    } finally {
      encoder.context.delegate(null, null);
      encoder.busy = false;
    }
  }
}
