package dev.mqttsidecar.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding and decoding one QoS 1 PUBLISH through netty-codec-mqtt, the codec under the broker's
 * {@code codec} layer, in a channel pipeline as the broker runs it. Both directions include the
 * buffer allocation and release a real connection pays.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PublishCodecBenchmark {

  @Param({"64", "1024"})
  int payloadSize;

  @Param({"3.1.1", "5"})
  String mqtt;

  private EmbeddedChannel encoder;
  private EmbeddedChannel decoder;
  private ByteBuf payload;
  private ByteBuf encoded;
  private MqttProperties properties;

  @Setup(Level.Trial)
  public void setUp() {
    MqttVersion version = mqtt.equals("5") ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1;
    properties = MqttProperties.NO_PROPERTIES;
    if (version == MqttVersion.MQTT_5) {
      properties = new MqttProperties();
      properties.add(
          new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, "application/json"));
    }
    payload = Unpooled.directBuffer(payloadSize).writeZero(payloadSize);

    // Both sides learn the protocol version from a CONNECT, as on a real connection.
    encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    encoder.writeOutbound(
        MqttMessageBuilders.connect().clientId("bench").protocolVersion(version).build());
    ByteBuf connect = encoder.readOutbound();
    decoder = new EmbeddedChannel(new MqttDecoder());
    decoder.writeInbound(connect);
    decoder.readInbound();

    encoder.writeOutbound(publish());
    encoded = encoder.readOutbound();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    encoded.release();
    payload.release();
    encoder.finishAndReleaseAll();
    decoder.finishAndReleaseAll();
  }

  private MqttPublishMessage publish() {
    return new MqttPublishMessage(
        new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
        new MqttPublishVariableHeader(
            "sensors/building-7/floor-3/room-12/temperature", 4711, properties),
        payload.retainedDuplicate());
  }

  /** Message object to bytes, as the broker does for every delivery. */
  @Benchmark
  public int encode() {
    encoder.writeOutbound(publish());
    ByteBuf out = encoder.readOutbound();
    int n = out.readableBytes();
    out.release();
    return n;
  }

  /** Bytes to message object, as the broker does for every inbound PUBLISH. */
  @Benchmark
  public int decode() {
    decoder.writeInbound(encoded.retainedDuplicate());
    MqttPublishMessage m = decoder.readInbound();
    int n = m.variableHeader().topicName().length() + m.payload().readableBytes();
    m.release();
    return n;
  }
}
