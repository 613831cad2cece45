package dev.mqttsidecar.component.http;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /topics/{topic}}: publishes the body to the (URL-decoded) topic as an authenticated
 * MQTT client would, and answers once the broker accepted the message (stored durably where the
 * broker persists): 200 for QoS 1, as a PUBACK, 202 for QoS 0.
 */
public final class PublishRoute implements HttpHandler {
  public static final String PATTERN = "/topics/*";

  private final Broker broker;
  private final HttpCredentials credentials;
  private final Clock clock;

  public PublishRoute(Broker broker, HttpCredentials credentials, Clock clock) {
    this.broker = broker;
    this.credentials = credentials;
    this.clock = clock;
  }

  @Override
  public CompletionStage<HttpReply> handle(HttpExchange exchange) {
    String topic = exchange.remainder();
    String topicProblem = topicProblem(topic);
    if (topicProblem != null) {
      return HttpReply.text(HttpResponseStatus.BAD_REQUEST, topicProblem).done();
    }
    Message message;
    try {
      message = PublishParameters.message(exchange, topic, clock.instant());
    } catch (PublishParameters.BadParameter e) {
      return HttpReply.text(HttpResponseStatus.BAD_REQUEST, e.getMessage()).done();
    }
    return credentials
        .authenticate(exchange)
        .thenCompose(
            verdict -> {
              if (!verdict.accepted()) {
                return verdict.refusal().done();
              }
              if (!credentials.mayPublish(verdict.identity(), topic)) {
                return HttpReply.text(
                        HttpResponseStatus.FORBIDDEN,
                        verdict.identity().clientId() + " may not publish to " + topic)
                    .done();
              }
              return broker.publish(message).thenApply(result -> reply(message, result));
            });
  }

  /**
   * Why {@code topic} cannot be published to from outside, or null. The broker checks the rest
   * (length, levels, U+0000) and answers {@code INVALID_TOPIC}.
   */
  public static String topicProblem(String topic) {
    if (topic.isEmpty()) {
      return "the topic is empty: POST /topics/{topic}"; // [MQTT-4.7.3-1]
    }
    if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
      return "a topic name must not contain the wildcards + and #"; // [MQTT-3.3.2-2]
    }
    if (topic.startsWith("$")) {
      // 4.7.2: topics starting with $ are the server's ($SYS, $events).
      return "topics starting with $ are reserved for the broker";
    }
    return null;
  }

  private static HttpReply reply(Message message, PublishResult result) {
    return switch (result.status()) {
      case ACCEPTED ->
          message.qos() == Qos.AT_MOST_ONCE
              ? HttpReply.text(HttpResponseStatus.ACCEPTED, "accepted")
              : HttpReply.text(
                  HttpResponseStatus.OK,
                  "published to " + result.matchedSubscribers() + " subscription(s)");
      case INVALID_TOPIC ->
          HttpReply.text(HttpResponseStatus.BAD_REQUEST, "invalid topic: " + result.reason());
      case NOT_AUTHORIZED -> HttpReply.text(HttpResponseStatus.FORBIDDEN, "not authorized");
      case TOO_LARGE ->
          HttpReply.text(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, result.reason());
      case QUOTA_EXCEEDED ->
          HttpReply.text(HttpResponseStatus.TOO_MANY_REQUESTS, "quota exceeded: " + result.reason())
              .withHeader("Retry-After", "1");
      case STORAGE_FAILED, UNAVAILABLE ->
          HttpReply.text(
                  HttpResponseStatus.SERVICE_UNAVAILABLE, "not published: " + result.reason())
              .withHeader("Retry-After", "1");
    };
  }
}
