package dev.mqttsidecar.component.pubsub;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageBus;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.dapr.MetadataValues;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes Dapr messages to the broker: topic prefix, QoS and RETAIN (configured, or per request
 * with metadata {@code qos} / {@code retain}), {@code ttlInSeconds} as MQTT 5 Message Expiry,
 * content type, and the remaining metadata as user properties. Completes when the broker has
 * accepted the message.
 */
final class Publisher {
  private final MessageBus broker;
  private final PubSubSettings settings;
  private final TopicMapper topics;
  private final DaprToMqtt converter;
  private final Clock clock;

  Publisher(MessageBus broker, PubSubSettings settings, TopicMapper topics, Clock clock) {
    this.broker = broker;
    this.settings = settings;
    this.topics = topics;
    this.converter = new DaprToMqtt(settings.cloudEvents());
    this.clock = clock;
  }

  /** Publishes one message; never completes exceptionally. */
  CompletableFuture<PublishOutcome> publish(
      String daprTopic, byte[] data, String contentType, Map<String, String> metadata) {
    Message message;
    try {
      message = toMessage(daprTopic, data, contentType, metadata);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          PublishOutcome.failed(PublishOutcome.Kind.INVALID, e.getMessage()));
    }
    return publish(message);
  }

  /** Publishes a prepared MQTT message (dead letters); never completes exceptionally. */
  CompletableFuture<PublishOutcome> publish(Message message) {
    CompletableFuture<PublishResult> published;
    try {
      published = broker.publish(message);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          PublishOutcome.failed(PublishOutcome.Kind.UNAVAILABLE, e.toString()));
    }
    return published.handle(
        (result, error) ->
            error != null
                ? PublishOutcome.failed(
                    PublishOutcome.Kind.UNAVAILABLE, String.valueOf(error.getMessage()))
                : outcome(result));
  }

  private Message toMessage(
      String daprTopic, byte[] data, String contentType, Map<String, String> metadata) {
    String topic = topics.toMqtt(daprTopic);
    MetadataValues values = new MetadataValues(metadata);
    Qos qos = Qos.of(values.integer("qos", settings.qos().value(), 0, 2));
    boolean retain = values.bool("retain", settings.retain());
    boolean raw = values.bool("rawPayload", false);
    Instant expiresAt = null;
    int ttl = values.integer("ttlInSeconds", 0, 0, Integer.MAX_VALUE);
    if (ttl > 0) {
      expiresAt = clock.instant().plusSeconds(ttl);
    }
    DaprToMqtt.Converted converted = converter.convert(data, contentType, metadata, raw);
    MessageProperties properties =
        new MessageProperties(
            false, converted.contentType(), null, null, converted.userProperties());
    return new Message(topic, converted.payload(), qos, retain, properties, expiresAt);
  }

  private static PublishOutcome outcome(PublishResult result) {
    return switch (result.status()) {
      case ACCEPTED -> PublishOutcome.PUBLISHED;
      case INVALID_TOPIC, TOO_LARGE ->
          PublishOutcome.failed(PublishOutcome.Kind.INVALID, reason(result));
      case NOT_AUTHORIZED ->
          PublishOutcome.failed(PublishOutcome.Kind.NOT_AUTHORIZED, reason(result));
      case QUOTA_EXCEEDED -> PublishOutcome.failed(PublishOutcome.Kind.OVERLOADED, reason(result));
      case STORAGE_FAILED, UNAVAILABLE ->
          PublishOutcome.failed(PublishOutcome.Kind.UNAVAILABLE, reason(result));
    };
  }

  private static String reason(PublishResult result) {
    return result.reason().isEmpty()
        ? result.status().name()
        : result.status() + ": " + result.reason();
  }
}
