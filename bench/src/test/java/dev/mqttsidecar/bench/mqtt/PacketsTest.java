package dev.mqttsidecar.bench.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generator's hand-written packets, checked against Netty's MQTT codec both ways. */
class PacketsTest {

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void persistentConnectClearsCleanStartAndCarriesTheSessionExpiry(boolean v5) {
    EmbeddedChannel broker = new EmbeddedChannel(new MqttDecoder());
    ClientSettings settings =
        ClientSettings.persistent(
            "session-1", v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1, 600);

    broker.writeInbound(Packets.connect(ByteBufAllocator.DEFAULT, settings));
    MqttConnectMessage connect = broker.readInbound();
    assertThat(connect.decoderResult().isSuccess()).isTrue();
    assertThat(connect.variableHeader().isCleanSession()).isFalse();
    if (v5) {
      assertThat(
              connect
                  .variableHeader()
                  .properties()
                  .getProperty(MqttProperties.SESSION_EXPIRY_INTERVAL)
                  .value())
          .isEqualTo(600);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void connectSubscribeAndPublishDecodeWithNettysDecoder(boolean v5) {
    EmbeddedChannel broker = new EmbeddedChannel(new MqttDecoder());
    ClientSettings settings =
        new ClientSettings("client-1", v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1, 30, 500);
    ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    broker.writeInbound(Packets.connect(alloc, settings));
    MqttConnectMessage connect = broker.readInbound();
    assertThat(connect.decoderResult().isSuccess()).isTrue();
    assertThat(connect.payload().clientIdentifier()).isEqualTo("client-1");
    assertThat(connect.variableHeader().version()).isEqualTo(v5 ? 5 : 4);
    assertThat(connect.variableHeader().isCleanSession()).isTrue();
    assertThat(connect.variableHeader().keepAliveTimeSeconds()).isEqualTo(30);
    if (v5) {
      assertThat(
              connect
                  .variableHeader()
                  .properties()
                  .getProperty(MqttProperties.RECEIVE_MAXIMUM)
                  .value())
          .isEqualTo(500);
    }

    broker.writeInbound(Packets.subscribe(alloc, v5, 7, "a/+/c", 2));
    MqttSubscribeMessage subscribe = broker.readInbound();
    assertThat(subscribe.decoderResult().isSuccess()).isTrue();
    assertThat(subscribe.idAndPropertiesVariableHeader().messageId()).isEqualTo(7);
    assertThat(subscribe.payload().topicSubscriptions().get(0).topicFilter()).isEqualTo("a/+/c");
    assertThat(subscribe.payload().topicSubscriptions().get(0).qualityOfService())
        .isEqualTo(MqttQoS.EXACTLY_ONCE);

    byte[] topic = "bench/x/p/3".getBytes(StandardCharsets.UTF_8);
    ByteBuf two = alloc.buffer();
    Packets.writePublish(two, v5, topic, 1, 42, 300, 3, 99L, 123_456_789L);
    Packets.writePublish(two, v5, topic, 0, 0, 20, 3, 100L, 5L);
    assertThat(two.readableBytes())
        .isEqualTo(
            Packets.publishSize(v5, topic.length, 1, 300)
                + Packets.publishSize(v5, topic.length, 0, 20));
    broker.writeInbound(two);
    MqttPublishMessage first = broker.readInbound();
    MqttPublishMessage second = broker.readInbound();
    try {
      assertThat(first.decoderResult().isSuccess()).isTrue();
      assertThat(first.variableHeader().topicName()).isEqualTo("bench/x/p/3");
      assertThat(first.variableHeader().packetId()).isEqualTo(42);
      assertThat(first.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_LEAST_ONCE);
      assertThat(first.payload().readableBytes()).isEqualTo(300);
      assertThat(first.payload().getInt(0)).isEqualTo(3);
      assertThat(first.payload().getLong(4)).isEqualTo(99L);
      assertThat(first.payload().getLong(12)).isEqualTo(123_456_789L);
      assertThat(second.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_MOST_ONCE);
      assertThat(second.payload().readableBytes()).isEqualTo(20);
    } finally {
      first.release();
      second.release();
    }

    ByteBuf acks = alloc.buffer();
    Packets.writeAck(acks, Packets.PUBREL, 9);
    broker.writeInbound(acks);
    MqttMessage pubrel = broker.readInbound();
    assertThat(pubrel.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBREL);
    assertThat(((MqttMessageIdVariableHeader) pubrel.variableHeader()).messageId()).isEqualTo(9);
    assertThat(broker.finishAndReleaseAll()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void connectWithAWillDecodesWithNettysDecoder(boolean v5) {
    EmbeddedChannel broker = new EmbeddedChannel(new MqttDecoder());
    ClientSettings settings =
        new ClientSettings(
            "dev-7", v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1, 0, v5 ? 100 : 0, true);

    broker.writeInbound(Packets.connect(ByteBufAllocator.DEFAULT, settings));
    MqttConnectMessage connect = broker.readInbound();
    assertThat(connect.decoderResult().isSuccess()).isTrue();
    assertThat(connect.variableHeader().isWillFlag()).isTrue();
    assertThat(connect.variableHeader().willQos()).isEqualTo(1);
    assertThat(connect.variableHeader().isWillRetain()).isFalse();
    assertThat(connect.payload().clientIdentifier()).isEqualTo("dev-7");
    assertThat(connect.payload().willTopic()).isEqualTo("bench/will/dev-7");
    assertThat(connect.payload().willMessageInBytes()).isEqualTo(Packets.WILL_PAYLOAD);
    assertThat(broker.finishAndReleaseAll()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void handlerFramesWhatNettysEncoderWrites(boolean v5) {
    MqttVersion version = v5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1;
    Recorder recorder = new Recorder(new ClientSettings("c", version, 0, 0));
    EmbeddedChannel client = new EmbeddedChannel(recorder);
    ByteBuf connect = client.readOutbound();
    connect.release();

    // Encode as a broker would (the encoder learns the version from a CONNECT it encodes).
    EmbeddedChannel broker = new EmbeddedChannel(MqttEncoder.INSTANCE);
    broker.writeOutbound(
        MqttMessageBuilders.connect().clientId("x").protocolVersion(version).build());
    ((ByteBuf) broker.readOutbound()).release();
    broker.writeOutbound(
        MqttMessageBuilders.connAck()
            .returnCode(io.netty.handler.codec.mqtt.MqttConnectReturnCode.CONNECTION_ACCEPTED)
            .build(),
        MqttMessageBuilders.subAck().packetId(1).addGrantedQos(MqttQoS.AT_LEAST_ONCE).build(),
        MqttMessageBuilders.publish()
            .topicName("t/1")
            .qos(MqttQoS.AT_LEAST_ONCE)
            .messageId(77)
            .payload(Unpooled.buffer().writeInt(0).writeLong(5).writeLong(6).writeZero(10))
            .build(),
        MqttMessageBuilders.pubAck().packetId(78).build());
    ByteBuf wire = Unpooled.buffer();
    for (ByteBuf b; (b = broker.readOutbound()) != null; ) {
      wire.writeBytes(b);
      b.release();
    }
    // Deliver in two pieces split mid-packet: the framing must wait for the rest.
    client.writeInbound(wire.readRetainedSlice(wire.readableBytes() / 2));
    client.writeInbound(wire);

    assertThat(recorder.events)
        .containsExactly("connack", "suback 1", "publish q1 id77 len30 pub0 seq5", "ack 4 78 0");
    assertThat(client.finishAndReleaseAll()).isFalse();
    broker.finishAndReleaseAll();
  }

  private static final class Recorder extends MqttClientHandler {
    final List<String> events = new ArrayList<>();

    Recorder(ClientSettings settings) {
      super(settings);
    }

    @Override
    protected void onConnected(ChannelHandlerContext ctx) {
      events.add("connack");
    }

    @Override
    protected void onSubAck(ChannelHandlerContext ctx, int code) {
      events.add("suback " + code);
    }

    @Override
    protected void onPublish(
        ChannelHandlerContext ctx, int qos, int packetId, ByteBuf in, int from, int to) {
      events.add(
          "publish q"
              + qos
              + " id"
              + packetId
              + " len"
              + (to - from)
              + " pub"
              + in.getInt(from)
              + " seq"
              + in.getLong(from + 4));
    }

    @Override
    protected void onAck(ChannelHandlerContext ctx, int type, int packetId, int reason) {
      events.add("ack " + type + " " + packetId + " " + reason);
    }
  }
}
