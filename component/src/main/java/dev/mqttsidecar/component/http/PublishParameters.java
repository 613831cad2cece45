package dev.mqttsidecar.component.http;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.MqttStrings;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.UserProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The message an HTTP publish describes: QoS, retain and MQTT 5 properties, each from a query
 * parameter or, without one, from a header {@code mqtt-<name>} (query {@code qos}, header {@code
 * mqtt-qos}). User properties: every {@code userProperty=name:value} query parameter and {@code
 * mqtt-user-property: name:value} header, in that order.
 */
final class PublishParameters {
  /** A parameter that cannot be used; the message is the one-line answer. */
  static final class BadParameter extends Exception {
    private static final long serialVersionUID = 1L;

    BadParameter(String message) {
      super(message);
    }
  }

  private final HttpExchange exchange;

  private PublishParameters(HttpExchange exchange) {
    this.exchange = exchange;
  }

  /**
   * The message to publish on {@code topic} with the request's body as payload.
   *
   * @throws BadParameter naming the parameter and what is wrong with it
   */
  static Message message(HttpExchange exchange, String topic, Instant now) throws BadParameter {
    return new PublishParameters(exchange).message(topic, now);
  }

  private Message message(String topic, Instant now) throws BadParameter {
    Qos qos = qos();
    boolean retain = bool("retain");
    String contentType = mqttString("contentType", "mqtt-content-type");
    String responseTopic = mqttString("responseTopic", "mqtt-response-topic");
    byte[] correlationData = correlationData();
    Long expiry = expirySeconds();
    MessageProperties properties =
        new MessageProperties(false, contentType, responseTopic, correlationData, userProperties());
    return Message.wrapping(
        topic,
        exchange.body(),
        qos,
        retain,
        properties,
        expiry == null ? null : now.plus(Duration.ofSeconds(expiry)));
  }

  private String value(String query, String header) {
    String value = exchange.queryParameter(query);
    return value != null ? value : exchange.headers().get(header);
  }

  private Qos qos() throws BadParameter {
    String value = value("qos", "mqtt-qos");
    if (value == null || value.equals("1")) {
      return Qos.AT_LEAST_ONCE;
    }
    if (value.equals("0")) {
      return Qos.AT_MOST_ONCE;
    }
    throw new BadParameter("qos must be 0 or 1, was '" + value + "'");
  }

  private boolean bool(String name) throws BadParameter {
    String value = value(name, "mqtt-" + name);
    if (value == null || value.equals("false") || value.equals("0")) {
      return false;
    }
    if (value.equals("true") || value.equals("1")) {
      return true;
    }
    throw new BadParameter(name + " must be true or false, was '" + value + "'");
  }

  private String mqttString(String query, String header) throws BadParameter {
    String value = value(query, header);
    if (value == null) {
      return null;
    }
    String problem = MqttStrings.problem(value);
    if (problem != null) {
      throw new BadParameter(query + " " + problem);
    }
    return value;
  }

  private byte[] correlationData() throws BadParameter {
    String value = value("correlationData", "mqtt-correlation-data");
    if (value == null) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new BadParameter("correlationData must be base64, was '" + value + "'");
    }
  }

  private Long expirySeconds() throws BadParameter {
    String value = value("messageExpiry", "mqtt-message-expiry");
    if (value == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(value);
      // A Four Byte Integer in MQTT 5 (3.3.2.3.3)
      if (seconds >= 1 && seconds <= 0xFFFF_FFFFL) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new BadParameter(
        "messageExpiry must be seconds from 1 to 4294967295, was '" + value + "'");
  }

  private List<UserProperty> userProperties() throws BadParameter {
    List<String> written =
        new ArrayList<>(exchange.query().getOrDefault("userProperty", List.of()));
    written.addAll(exchange.headers().getAll("mqtt-user-property"));
    List<UserProperty> properties = new ArrayList<>();
    for (String pair : written) {
      int colon = pair.indexOf(':');
      if (colon <= 0) {
        throw new BadParameter("userProperty must be name:value, was '" + pair + "'");
      }
      String name = pair.substring(0, colon);
      String value = pair.substring(colon + 1);
      String problem = MqttStrings.problem(name);
      if (problem == null) {
        problem = MqttStrings.problem(value);
      }
      if (problem != null) {
        throw new BadParameter("userProperty '" + pair + "' " + problem);
      }
      properties.add(new UserProperty(name, value));
    }
    return properties;
  }
}
