package dev.mqttsidecar.broker.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;

/**
 * Netty's {@link MqttDecoder}, one per thread for all the connections on it instead of one per
 * connection (about 250 bytes each, with its pipeline stage). That works because it is only ever
 * given whole frames ({@link MqttFrameDecoder}): after a frame that decodes to exactly one packet
 * it holds nothing of that connection. A frame that leaves it with anything else (no packet, more
 * than one, a failed one, an exception) retires it, and the thread gets a fresh one.
 */
final class SharedMqttDecoder {
  /** Larger than any frame: {@link MqttFrameDecoder} enforces each broker's own limit first. */
  private static final int NO_LIMIT = 268_435_455 + 5; // remaining length maximum and header

  private static final int MAX_CLIENT_ID_LENGTH = 65535;

  private static final FastThreadLocal<SharedMqttDecoder> PER_THREAD =
      new FastThreadLocal<>() {
        @Override
        protected SharedMqttDecoder initialValue() {
          return new SharedMqttDecoder();
        }
      };

  private final CapturingContext capture = new CapturingContext();
  private MqttDecoder decoder = newDecoder();
  private boolean busy;

  /**
   * Decodes one whole frame (and releases it): the packet, or null when the frame did not decode to
   * exactly one packet (whatever it decoded to is released). {@code version} is what the
   * connection's CONNECT said, null before it.
   */
  static Object decode(ChannelHandlerContext ctx, ByteBuf frame, MqttVersion version) {
    SharedMqttDecoder shared = PER_THREAD.get();
    // A packet handled while another is decoded on this thread gets a decoder of its own.
    return shared.busy
        ? new SharedMqttDecoder().decodeFrame(ctx, frame, version)
        : shared.decodeFrame(ctx, frame, version);
  }

  private Object decodeFrame(ChannelHandlerContext ctx, ByteBuf frame, MqttVersion version) {
    busy = true;
    capture.delegate(ctx, version);
    boolean clean = false;
    try {
      decoder.channelRead(capture, frame);
      List<Object> out = capture.captured();
      clean =
          out.size() == 1 && out.get(0) instanceof MqttMessage m && m.decoderResult().isSuccess();
      if (out.size() == 1 && out.get(0) instanceof MqttMessage m) {
        out.clear();
        return m; // a failed packet too: the connection answers it as malformed
      }
      out.forEach(ReferenceCountUtil::release);
      out.clear();
      return null;
    } catch (Exception e) {
      capture.captured().forEach(ReferenceCountUtil::release);
      capture.captured().clear();
      return null;
    } finally {
      if (!clean) {
        retire();
      }
      capture.delegate(null, null);
      busy = false;
    }
  }

  /**
   * Drops the decoder and whatever part of a frame it still holds; the next frame gets a new one.
   */
  private void retire() {
    try {
      decoder.handlerRemoved(capture); // passes held bytes on, to be released here
    } catch (Exception e) {
      // nothing more to release
    }
    capture.captured().forEach(ReferenceCountUtil::release);
    capture.captured().clear();
    decoder = newDecoder();
  }

  private static MqttDecoder newDecoder() {
    return new MqttDecoder(NO_LIMIT, MAX_CLIENT_ID_LENGTH);
  }
}
