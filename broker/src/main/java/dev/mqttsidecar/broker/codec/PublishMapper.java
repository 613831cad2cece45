package dev.mqttsidecar.broker.codec;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.UserProperty;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between Netty's PUBLISH packets and {@link Message}. Inbound, the payload is copied out
 * once so the buffer can be released at once; outbound, the message's payload is wrapped, not
 * copied, and the encoder copies it into the packet's buffer.
 */
public final class PublishMapper {
  /** No Subscription Identifiers. */
  public static final int[] NO_IDS = new int[0];

  private PublishMapper() {}

  /**
   * A message from an inbound PUBLISH; does not release {@code packet}.
   *
   * @param topic the topic name (after topic alias resolution)
   * @param clock read only when the packet has a Message Expiry Interval, which then becomes an
   *     absolute expiry
   */
  public static Message toMessage(MqttPublishMessage packet, String topic, Clock clock) {
    ByteBuf content = packet.content();
    // A fresh array (copy = true): never the buffer's own, which the message keeps uncopied.
    byte[] payload =
        ByteBufUtil.getBytes(content, content.readerIndex(), content.readableBytes(), true);
    MqttFixedHeader fh = packet.fixedHeader();
    MqttProperties props = packet.variableHeader().properties();
    Instant expiresAt = null;
    MessageProperties mp = MessageProperties.NONE;
    if (props != null && !props.isEmpty()) {
      Integer expiry = intProperty(props, MqttProperties.PUBLICATION_EXPIRY_INTERVAL);
      if (expiry != null) {
        expiresAt = clock.instant().plusSeconds(Integer.toUnsignedLong(expiry));
      }
      mp = toProperties(props);
    }
    return Message.wrapping(
        topic, payload, Qos.of(fh.qosLevel().value()), fh.isRetain(), mp, expiresAt);
  }

  /** The application properties carried end to end [MQTT-3.3.2-15..20]. */
  public static MessageProperties toProperties(MqttProperties props) {
    Integer format = intProperty(props, MqttProperties.PAYLOAD_FORMAT_INDICATOR);
    String contentType = stringProperty(props, MqttProperties.CONTENT_TYPE);
    String responseTopic = stringProperty(props, MqttProperties.RESPONSE_TOPIC);
    MqttProperties.MqttProperty<?> corr = props.getProperty(MqttProperties.CORRELATION_DATA);
    byte[] correlation = corr == null ? null : (byte[]) corr.value();
    List<UserProperty> users = new ArrayList<>();
    for (MqttProperties.MqttProperty<?> p : props.getProperties(MqttProperties.USER_PROPERTY)) {
      if (p instanceof MqttProperties.UserProperty up) {
        users.add(new UserProperty(up.value().key, up.value().value));
      } else if (p instanceof MqttProperties.UserProperties ups) {
        for (MqttProperties.StringPair pair : ups.value()) {
          users.add(new UserProperty(pair.key, pair.value));
        }
      }
    }
    if (format == null
        && contentType == null
        && responseTopic == null
        && correlation == null
        && users.isEmpty()) {
      return MessageProperties.NONE;
    }
    return new MessageProperties(
        format != null && format == 1, contentType, responseTopic, correlation, users);
  }

  /**
   * An outbound PUBLISH packet.
   *
   * @param mqtt5 whether to encode properties
   * @param now send time: the forwarded expiry interval is the remaining lifetime [MQTT-3.3.2-6];
   *     may be null for a message without expiry
   */
  public static MqttPublishMessage toPacket(
      Message m, int packetId, boolean dup, boolean mqtt5, Instant now) {
    return toPacket(m, packetId, dup, mqtt5, now, NO_IDS, 0, false);
  }

  /**
   * An outbound PUBLISH with the per-connection 5.0 extras.
   *
   * @param subscriptionIds Subscription Identifiers of the matching subscriptions [MQTT-3.3.4-3]
   * @param topicAlias a Topic Alias to send, 0 for none
   * @param aliasOnly send the alias with a zero-length topic (the alias is already established)
   */
  public static MqttPublishMessage toPacket(
      Message m,
      int packetId,
      boolean dup,
      boolean mqtt5,
      Instant now,
      int[] subscriptionIds,
      int topicAlias,
      boolean aliasOnly) {
    MqttProperties props = MqttProperties.NO_PROPERTIES;
    if (mqtt5) {
      props = toMqttProperties(m.properties());
      if (subscriptionIds.length > 0 || topicAlias > 0) {
        props = props == MqttProperties.NO_PROPERTIES ? new MqttProperties() : props;
        for (int id : subscriptionIds) {
          props.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, id));
        }
        if (topicAlias > 0) {
          props.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, topicAlias));
        }
      }
      if (m.expiresAt() != null) {
        long remaining =
            Math.max(1, (Duration.between(now, m.expiresAt()).toMillis() + 999) / 1000);
        props = props == MqttProperties.NO_PROPERTIES ? new MqttProperties() : props;
        props.add(
            new MqttProperties.IntegerProperty(
                MqttProperties.PUBLICATION_EXPIRY_INTERVAL,
                (int) Math.min(remaining, 0xFFFFFFFFL)));
      }
    }
    MqttFixedHeader fh =
        new MqttFixedHeader(
            MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(m.qos().value()), m.retain(), 0);
    return new MqttPublishMessage(
        fh,
        new MqttPublishVariableHeader(aliasOnly ? "" : m.topic(), packetId, props),
        Unpooled.wrappedBuffer(m.payloadView()));
  }

  /** MQTT 5 properties for an application message (also used for will properties). */
  public static MqttProperties toMqttProperties(MessageProperties p) {
    if (p.equals(MessageProperties.NONE)) {
      return MqttProperties.NO_PROPERTIES;
    }
    MqttProperties props = new MqttProperties();
    if (p.utf8Payload()) {
      props.add(new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, 1));
    }
    if (p.contentType() != null) {
      props.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, p.contentType()));
    }
    if (p.responseTopic() != null) {
      props.add(
          new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, p.responseTopic()));
    }
    if (p.correlationData() != null) {
      props.add(
          new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, p.correlationData()));
    }
    if (!p.userProperties().isEmpty()) {
      MqttProperties.UserProperties ups = new MqttProperties.UserProperties();
      for (UserProperty u : p.userProperties()) {
        ups.add(u.name(), u.value());
      }
      props.add(ups);
    }
    return props;
  }

  public static Integer intProperty(MqttProperties props, int id) {
    MqttProperties.MqttProperty<?> p = props == null ? null : props.getProperty(id);
    return p == null ? null : (Integer) p.value();
  }

  public static String stringProperty(MqttProperties props, int id) {
    MqttProperties.MqttProperty<?> p = props == null ? null : props.getProperty(id);
    return p == null ? null : (String) p.value();
  }
}
