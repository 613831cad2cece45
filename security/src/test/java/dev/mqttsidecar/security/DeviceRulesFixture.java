package dev.mqttsidecar.security;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.security.AuthorizationRule.Match;
import java.time.Duration;
import java.util.List;

/**
 * A broker enforcing the rules of a typical deployment, as the configuration file would give them:
 * an administrator, a reader of the state store, and devices confined to their own topics.
 */
final class DeviceRulesFixture {
  static final List<AuthorizationRule> RULES =
      List.of(
          new AuthorizationRule(
              new Match(null, "admin", null, null), List.of("#"), List.of("#", "$SYS/#")),
          new AuthorizationRule(
              new Match(null, "state-reader", null, null),
              List.of("$dapr/state/store/#"),
              List.of("$dapr/state/store/#")),
          // Grants $SYS and $events: the broker refuses publishing there all the same.
          new AuthorizationRule(
              new Match(null, "root", null, null),
              List.of("$SYS/#", "$events/#", "#"),
              List.of("$SYS/#")),
          new AuthorizationRule(
              new Match("*", null, null, null),
              List.of("devices/${client.id}/#"),
              List.of(
                  "devices/${client.id}/#", "commands/${client.id}/#", "$share/workers/jobs/#")));

  private DeviceRulesFixture() {}

  static BrokerFixture start() throws Exception {
    return start(BrokerConfig.builder().sysInterval(Duration.ZERO));
  }

  static BrokerFixture start(BrokerConfig.Builder config) throws Exception {
    return BrokerFixture.start(config.authorizer(new RuleAuthorizer(RULES)));
  }

  /** A connected 5.0 client with a user name (null: none). */
  static Mqtt5BlockingClient connect5(BrokerFixture f, String clientId, String username) {
    var builder = f.mqtt5(clientId);
    if (username != null) {
      builder = builder.simpleAuth().username(username).applySimpleAuth();
    }
    Mqtt5BlockingClient c = builder.buildBlocking();
    c.connect();
    f.track(c);
    return c;
  }

  /** A connected 3.1.1 client with a user name (null: none). */
  static Mqtt3BlockingClient connect3(BrokerFixture f, String clientId, String username) {
    var builder = f.mqtt3(clientId);
    if (username != null) {
      builder = builder.simpleAuth().username(username).applySimpleAuth();
    }
    Mqtt3BlockingClient c = builder.buildBlocking();
    c.connect();
    f.track(c);
    return c;
  }

  /** The SUBACK, also when the client library reports failure codes as an exception. */
  static Mqtt5SubAck subscribe(Mqtt5BlockingClient c, Mqtt5Subscribe subscribe) {
    try {
      return c.subscribe(subscribe);
    } catch (Mqtt5SubAckException e) {
      return e.getMqttMessage();
    }
  }

  /** Publishes in process, as Dapr apps and the state store do. */
  static PublishResult publish(BrokerFixture f, String topic, boolean retain) {
    return f.broker()
        .publish(Message.of(topic, topic.getBytes(UTF_8), Qos.AT_LEAST_ONCE, retain))
        .join();
  }
}
