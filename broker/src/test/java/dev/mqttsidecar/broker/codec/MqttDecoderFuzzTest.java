package dev.mqttsidecar.broker.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The decoding stage of every connection ({@link MqttFrameDecoder}: framing, validation and Netty's
 * decoder on whole frames, as the listener builds it) fed arbitrary bytes. Besides not throwing and
 * releasing every buffer, decoding must not depend on how the stream is cut into reads: the stream
 * read whole and read in chunks must decode to the same packets and violations.
 *
 * <p>Input: byte 0 is the chunk size (0 means one byte at a time), byte 1 chooses the packet size
 * limit (64 bytes when odd, 64 KiB when even), the rest is the stream.
 */
@ExtendWith(LeakCheck.class)
class MqttDecoderFuzzTest {

  @FuzzTest
  void decoder(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int chunk = Math.max(1, input[0] & 0xFF);
    int maxPacket = (input[1] & 1) == 1 ? 64 : 65536;
    byte[] stream = Arrays.copyOfRange(input, 2, input.length);

    List<String> whole = decode(stream, stream.length, maxPacket);
    List<String> chunked = decode(stream, chunk, maxPacket);
    assertThat(chunked).as("decoded in chunks of %d", chunk).isEqualTo(whole);
  }

  /** What the stages emit for {@code stream} read {@code chunk} bytes at a time, described. */
  private static List<String> decode(byte[] stream, int chunk, int maxPacket) {
    TrackingAllocator allocator = new TrackingAllocator();
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.config().setAllocator(allocator);
    ch.pipeline().addLast("frames", new MqttFrameDecoder(maxPacket));
    List<String> out = new ArrayList<>();
    for (int from = 0; from < stream.length; from += Math.max(chunk, 1)) {
      int to = Math.min(stream.length, from + Math.max(chunk, 1));
      ByteBuf buf = allocator.heapBuffer(to - from);
      buf.writeBytes(stream, from, to - from);
      ch.writeInbound(buf); // throws what reached the end of the pipeline
      for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
        out.add(describe(o));
        ReferenceCountUtil.release(o);
      }
    }
    ch.finishAndReleaseAll();
    assertThat(allocator.unreleased()).as("buffers not released").isEmpty();
    return out;
  }

  private static String describe(Object o) {
    if (o instanceof MqttMessage m) {
      return MqttMessageText.of(m);
    }
    return String.valueOf(o); // a ProtocolViolation
  }
}
