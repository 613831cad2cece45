package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.codec.ReasonCode;
import dev.mqttsidecar.broker.core.SubscriptionService;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SubscriptionOptions;
import dev.mqttsidecar.broker.subscription.TopicFilter;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SUBSCRIBE and UNSUBSCRIBE with per-filter reason codes. */
final class SubscribeHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SubscribeHandler.class);
  private static final int FAILURE_311 = 0x80;
  private final MqttConnection conn;

  SubscribeHandler(MqttConnection conn) {
    this.conn = conn;
  }

  void onSubscribe(MqttSubscribeMessage m) {
    List<MqttTopicSubscription> requested = m.payload().topicSubscriptions();
    if (requested.isEmpty()) {
      conn.protocolError(ReasonCode.PROTOCOL_ERROR, "SUBSCRIBE without filters"); // [MQTT-3.8.3-3]
      return;
    }
    MqttProperties props = m.idAndPropertiesVariableHeader().properties();
    int subscriptionId = 0;
    if (conn.mqtt5 && props != null) {
      List<? extends MqttProperties.MqttProperty> ids =
          props.getProperties(MqttProperties.SUBSCRIPTION_IDENTIFIER);
      if (ids.size() > 1) {
        conn.protocolError(ReasonCode.PROTOCOL_ERROR, "more than one subscription identifier");
        return;
      }
      if (!ids.isEmpty()) {
        subscriptionId = (Integer) ids.get(0).value();
        if (subscriptionId <= 0) {
          // 1 to 268,435,455; 0 is a Protocol Error (section 3.8.2.1.2)
          conn.protocolError(ReasonCode.PROTOCOL_ERROR, "subscription identifier 0");
          return;
        }
      }
    }
    BrokerConfig config = conn.services.config();
    Session session = conn.session;
    List<Integer> codes = new ArrayList<>(requested.size());
    List<String> replays = new ArrayList<>(requested.size());
    for (MqttTopicSubscription sub : requested) {
      MqttSubscriptionOption o = sub.option();
      TopicFilter filter;
      try {
        filter = conn.services.rules().parseFilter(sub.topicFilter());
      } catch (IllegalArgumentException e) {
        conn.server.refusals().invalidFilter(conn.clientId, sub.topicFilter(), e.getMessage());
        codes.add(conn.mqtt5 ? ReasonCode.TOPIC_FILTER_INVALID.value() & 0xFF : FAILURE_311);
        continue;
      }
      if (conn.mqtt5 && filter.isShared() && o.isNoLocal()) {
        conn.protocolError(
            ReasonCode.PROTOCOL_ERROR, "No Local on a shared subscription"); // [MQTT-3.8.3-4]
        return;
      }
      // The raw filter: a shared subscription is judged with its group [MQTT-4.8.2].
      if (!config.authorizer().maySubscribe(conn.identity, filter.raw())) {
        conn.server.stats().countSubscriptionNotAuthorized();
        codes.add(conn.mqtt5 ? ReasonCode.NOT_AUTHORIZED.value() & 0xFF : FAILURE_311);
        continue;
      }
      if (!session.subscriptions().containsKey(filter.raw())
          && session.subscriptions().size() >= config.maxSubscriptionsPerClient()) {
        conn.server
            .refusals()
            .subscriptionOverQuota(conn.clientId, filter.raw(), config.maxSubscriptionsPerClient());
        // 0x97 is a SUBACK reason code (section 3.9.3); 3.1.1 has only 0x80 Failure.
        codes.add(conn.mqtt5 ? ReasonCode.QUOTA_EXCEEDED.value() & 0xFF : FAILURE_311);
        continue;
      }
      // Granted at most the configured maximum QoS [MQTT-3.2.2-10], section 3.9.3.
      Qos qos = Qos.of(Math.min(o.qos().value(), config.maximumQos()));
      SubscriptionOptions options =
          conn.mqtt5
              ? new SubscriptionOptions(
                  qos,
                  o.isNoLocal(),
                  o.isRetainAsPublished(),
                  o.retainHandling().value(),
                  subscriptionId)
              : SubscriptionOptions.of(qos);
      SubscriptionService subscriptions = conn.services.subscriptions();
      boolean isNew = subscriptions.subscribe(session, filter, options);
      // Held, and stored with the subscription: the SUBACK goes first, and a crash after it
      // still owes the retained messages.
      if (subscriptions.sendRetained(session, filter, options, isNew, true)) {
        replays.add(filter.raw());
      }
      codes.add(qos.value()); // the granted QoS [MQTT-3.9.3-1]
    }
    int packetId = m.variableHeader().messageId();
    onceStored(
        () -> {
          // On the event loop: the retained messages the release sends follow the SUBACK.
          conn.channel.writeAndFlush(Packets.subAck(packetId, codes, conn.mqtt5)); // [MQTT-3.8.4-1]
          if (!replays.isEmpty()) {
            session.releaseReplays(replays);
          }
        });
  }

  /**
   * Runs {@code answer} on the event loop once the session's subscriptions are durable: an
   * acknowledged SUBSCRIBE or UNSUBSCRIBE survives a crash (at once for a session that ends with
   * its connection, which stores nothing).
   */
  private void onceStored(Runnable answer) {
    conn.session
        .recordStored()
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.error("{}: subscriptions not stored", conn.clientId, e);
              }
              if (conn.channel.eventLoop().inEventLoop()) {
                answer.run();
              } else {
                conn.onEventLoop(answer);
              }
            });
  }

  void onUnsubscribe(MqttUnsubscribeMessage m) {
    List<String> filters = m.payload().topics();
    if (filters.isEmpty()) {
      conn.protocolError(
          ReasonCode.PROTOCOL_ERROR, "UNSUBSCRIBE without filters"); // [MQTT-3.10.3-2]
      return;
    }
    List<Short> codes = new ArrayList<>(filters.size());
    for (String raw : filters) {
      TopicFilter filter;
      try {
        filter = conn.services.rules().parseFilter(raw);
      } catch (IllegalArgumentException e) {
        codes.add((short) (ReasonCode.TOPIC_FILTER_INVALID.value() & 0xFF));
        continue;
      }
      boolean existed = conn.services.subscriptions().unsubscribe(conn.session, filter);
      codes.add((short) (existed ? 0 : ReasonCode.NO_SUBSCRIPTION_EXISTED.value()));
    }
    int packetId = m.variableHeader().messageId();
    onceStored(
        () ->
            conn.channel.writeAndFlush(
                Packets.unsubAck(packetId, codes, conn.mqtt5))); // [MQTT-3.10.4-4]
  }
}
