package dev.mqttsidecar.component.remote;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.UserProperty;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker's {@link Message} to and from hivemq-mqtt-client's MQTT 5 PUBLISH, property by
 * property.
 */
final class PublishMapping {
  private PublishMapping() {}

  static Mqtt5Publish toPublish(Message message, Instant now) {
    MessageProperties p = message.properties();
    Mqtt5PublishBuilder.Complete builder =
        Mqtt5Publish.builder()
            .topic(message.topic())
            .payload(message.payloadView())
            .qos(MqttQos.fromCode(message.qos().value()))
            .retain(message.retain());
    if (p.utf8Payload()) {
      builder = builder.payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8);
    }
    if (p.contentType() != null) {
      builder = builder.contentType(p.contentType());
    }
    if (p.responseTopic() != null) {
      builder = builder.responseTopic(p.responseTopic());
    }
    if (p.correlationData() != null) {
      builder = builder.correlationData(p.correlationData());
    }
    if (message.expiresAt() != null) {
      long seconds = Duration.between(now, message.expiresAt()).toSeconds();
      builder = builder.messageExpiryInterval(Math.max(1, seconds));
    }
    if (!p.userProperties().isEmpty()) {
      Mqtt5UserPropertiesBuilder properties = Mqtt5UserProperties.builder();
      for (UserProperty u : p.userProperties()) {
        properties = properties.add(u.name(), u.value());
      }
      builder = builder.userProperties(properties.build());
    }
    return builder.build();
  }

  static Message toMessage(Mqtt5Publish publish, Instant now) {
    List<UserProperty> properties = new ArrayList<>();
    publish
        .getUserProperties()
        .asList()
        .forEach(
            u -> properties.add(new UserProperty(u.getName().toString(), u.getValue().toString())));
    MessageProperties p =
        new MessageProperties(
            publish.getPayloadFormatIndicator().orElse(null) == Mqtt5PayloadFormatIndicator.UTF_8,
            publish.getContentType().map(Object::toString).orElse(null),
            publish.getResponseTopic().map(Object::toString).orElse(null),
            publish.getCorrelationData().map(PublishMapping::bytes).orElse(null),
            properties);
    Instant expiresAt =
        publish.getMessageExpiryInterval().isPresent()
            ? now.plusSeconds(publish.getMessageExpiryInterval().getAsLong())
            : null;
    return Message.wrapping(
        publish.getTopic().toString(),
        publish.getPayloadAsBytes(),
        Qos.of(publish.getQos().getCode()),
        publish.isRetain(),
        p,
        expiresAt);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] copy = new byte[buffer.remaining()];
    buffer.duplicate().get(copy);
    return copy;
  }
}
