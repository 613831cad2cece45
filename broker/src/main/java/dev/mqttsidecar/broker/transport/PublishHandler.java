package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.codec.PublishMapper;
import dev.mqttsidecar.broker.codec.ReasonCode;
import dev.mqttsidecar.broker.codec.StringChecks;
import dev.mqttsidecar.broker.core.PublishService;
import dev.mqttsidecar.broker.retained.RetainedOverQuota;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Inbound PUBLISH and PUBREL: topic aliases, authorization, the QoS 1/2 acknowledgement flows and
 * the Receive Maximum. Acknowledgements wait for the publish to be accepted and go out in the order
 * the PUBLISH packets arrived [MQTT-4.6.0-2], [MQTT-4.6.0-3].
 */
final class PublishHandler {
  private final MqttConnection conn;
  private Map<Integer, String> topicAliases; // made by the first alias the client sets
  private int unacknowledged;
  private AckQueue acks;

  PublishHandler(MqttConnection conn) {
    this.conn = conn;
  }

  /** The acknowledgement queue, made on first use: the channel is not known at construction. */
  private AckQueue acks() {
    if (acks == null) {
      acks = new AckQueue(conn.channel.eventLoop());
    }
    return acks;
  }

  void onPublish(MqttPublishMessage p) {
    BrokerConfig config = conn.services.config();
    int qos = p.fixedHeader().qosLevel().value();
    int packetId = p.variableHeader().packetId();
    String topic = p.variableHeader().topicName();
    if (qos > config.maximumQos()) {
      // Announced to 5.0 clients in CONNACK [MQTT-3.2.2-11]; a 3.1.1 client is closed.
      conn.protocolError(
          ReasonCode.QOS_NOT_SUPPORTED, "QoS " + qos + " above the maximum " + config.maximumQos());
      return;
    }
    if (conn.mqtt5) {
      Integer alias =
          PublishMapper.intProperty(p.variableHeader().properties(), MqttProperties.TOPIC_ALIAS);
      if (alias != null) {
        if (alias == 0 || alias > config.topicAliasMaximum()) {
          conn.protocolError(
              ReasonCode.TOPIC_ALIAS_INVALID,
              "topic alias " + alias); // [MQTT-3.3.2-9], [MQTT-3.3.2-10]
          return;
        }
        if (topic.isEmpty()) {
          topic = topicAliases == null ? null : topicAliases.get(alias);
          if (topic == null) {
            conn.protocolError(ReasonCode.PROTOCOL_ERROR, "unknown topic alias " + alias);
            return;
          }
        } else {
          if (topicAliases == null) {
            topicAliases = new HashMap<>();
          }
          topicAliases.put(alias, topic);
        }
      }
    }
    if (topic.isEmpty()) {
      conn.protocolError(
          ReasonCode.PROTOCOL_ERROR, "zero-length topic name"); // [MQTT-3.3.2-1], [MQTT-4.7.3-1]
      return;
    }
    String problem = conn.services.rules().nameProblem(topic);
    if (problem != null) {
      conn.server.refusals().invalidTopic(conn.clientId, topic, problem);
      conn.protocolError(ReasonCode.TOPIC_NAME_INVALID, problem);
      return;
    }
    if (qos == 2 && conn.session.stored().inboundQos2().contains(packetId)) {
      // A resend of a QoS 2 message already accepted: acknowledge, never deliver twice
      // [MQTT-4.3.3-10].
      enqueueAck(
          CompletableFuture.completedFuture(PublishResult.accepted(0)), qos, packetId, false);
      return;
    }
    if (qos > 0) {
      if (unacknowledged >= config.receiveMaximum()) {
        conn.protocolError(
            ReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
            "more than " + config.receiveMaximum()); // [MQTT-3.3.4-9]
        return;
      }
      unacknowledged++;
      if (qos == 2) {
        conn.session.stored().inboundQos2().add(packetId);
      }
    }
    if (conn.mqtt5 && !payloadFormatValid(p)) {
      rejectPayloadFormat(qos, packetId);
      return;
    }
    conn.server.stats().received(qos, p.content().readableBytes());
    // After alias resolution: an alias never stands for a topic the client may not publish to.
    if (!PublishPermission.mayPublish(config, conn.identity, topic)) {
      conn.server.stats().countPublishNotAuthorized();
      enqueueAck(
          CompletableFuture.completedFuture(
              PublishResult.rejected(PublishResult.Status.NOT_AUTHORIZED, topic)),
          qos,
          packetId,
          true);
      return;
    }
    Message message = PublishMapper.toMessage(p, topic, config.clock());
    // Only an MQTT 5 acknowledgement can say a message was refused for a retained quota.
    RetainedOverQuota overQuota =
        conn.mqtt5 && qos > 0
            ? RetainedOverQuota.REFUSE
            : RetainedOverQuota.DELIVER_WITHOUT_RETAINING;
    CompletableFuture<PublishResult> result =
        conn.services.publisher().publish(message, conn.clientId, overQuota);
    if (qos == 2) {
      // PUBREC only once the packet id is durable too: a resend after a restart is then
      // recognised and not delivered twice [MQTT-4.3.3-10].
      result =
          result.thenCompose(
              r ->
                  r.isAccepted()
                      ? conn.session
                          .stored()
                          .rememberInboundQos2(packetId)
                          .handle((v, e) -> e == null ? r : PublishService.storageFailure(e))
                      : CompletableFuture.completedFuture(r));
    }
    if (qos > 0) {
      enqueueAck(result, qos, packetId, true);
    }
  }

  private static boolean payloadFormatValid(MqttPublishMessage p) {
    Integer format =
        PublishMapper.intProperty(
            p.variableHeader().properties(), MqttProperties.PAYLOAD_FORMAT_INDICATOR);
    return format == null || format != 1 || StringChecks.isWellFormedUtf8(p.content());
  }

  /**
   * A payload marked UTF-8 that is not: the message is not forwarded; QoS 1/2 get PUBACK/PUBREC
   * 0x99, QoS 0 (no acknowledgement to carry it) DISCONNECT 0x99 (section 3.3.2.3.2: the receiver
   * MAY validate the payload).
   */
  private void rejectPayloadFormat(int qos, int packetId) {
    if (qos == 0) {
      conn.protocolError(ReasonCode.PAYLOAD_FORMAT_INVALID, "payload is not valid UTF-8");
      return;
    }
    acks()
        .add(
            () -> {
              unacknowledged = Math.max(0, unacknowledged - 1);
              if (qos == 2) {
                conn.session
                    .stored()
                    .inboundQos2()
                    .remove(packetId); // an error PUBREC ends the flow
              }
              conn.send(
                  Packets.pubReply(
                      qos == 1 ? MqttMessageType.PUBACK : MqttMessageType.PUBREC,
                      packetId,
                      ReasonCode.PAYLOAD_FORMAT_INVALID,
                      true));
            });
  }

  void onPubrel(int packetId) {
    boolean known = conn.session.stored().inboundQos2().remove(packetId);
    if (known) {
      unacknowledged = Math.max(0, unacknowledged - 1);
      conn.session.stored().releaseInboundQos2(packetId);
    }
    // After queued PUBACK/PUBRECs, to keep acknowledgement order.
    acks()
        .add(
            () ->
                conn.send(
                    Packets.pubReply(
                        MqttMessageType.PUBCOMP,
                        packetId,
                        known ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND,
                        conn.mqtt5))); // [MQTT-4.3.3-11]
  }

  private void enqueueAck(
      CompletableFuture<PublishResult> result, int qos, int packetId, boolean counted) {
    if (qos == 0) {
      return;
    }
    AckQueue queue = acks();
    if (result.isDone() && queue.idle()) {
      acknowledge(AckQueue.resultOf(result), qos, packetId, counted); // no callback to allocate
      return;
    }
    queue.add(result, r -> acknowledge(r, qos, packetId, counted));
  }

  private void acknowledge(PublishResult r, int qos, int packetId, boolean counted) {
    ReasonCode reason = reasonFor(r);
    // A subscriber's full queue dropping the message (counted) is no fault of this 3.1.1 client,
    // which cannot be told of it: it gets a normal ack rather than a closed connection.
    boolean silentIn311 =
        r.status() == PublishResult.Status.NOT_AUTHORIZED
            // Only a subscriber's queue (matched > 0): a store refusing the write for overload
            // kept nothing, so the client must not get a success ack.
            || (r.status() == PublishResult.Status.QUOTA_EXCEEDED && r.matchedSubscribers() > 0);
    if (reason.isError() && !conn.mqtt5 && !silentIn311) {
      conn.protocolError(
          reason, r.reason()); // 3.1.1 cannot report the failure: close [MQTT-3.3.5-2]
      return;
    }
    // 3.1.1 answers a not-authorized publish with a normal ack [MQTT-3.3.5-2].
    ReasonCode sent = conn.mqtt5 ? reason : ReasonCode.SUCCESS;
    if (qos == 1) {
      if (counted) {
        unacknowledged = Math.max(0, unacknowledged - 1);
      }
      conn.send(Packets.pubReply(MqttMessageType.PUBACK, packetId, sent, conn.mqtt5));
    } else {
      if (reason.isError() && conn.mqtt5) {
        // A PUBREC with an error reason code ends the QoS 2 flow: forget the id.
        conn.session.stored().inboundQos2().remove(packetId);
        if (counted) {
          unacknowledged = Math.max(0, unacknowledged - 1);
        }
      }
      conn.send(Packets.pubReply(MqttMessageType.PUBREC, packetId, sent, conn.mqtt5));
    }
  }

  private static ReasonCode reasonFor(PublishResult r) {
    return switch (r.status()) {
      case ACCEPTED -> ReasonCode.SUCCESS;
      case INVALID_TOPIC -> ReasonCode.TOPIC_NAME_INVALID;
      case NOT_AUTHORIZED -> ReasonCode.NOT_AUTHORIZED;
      case TOO_LARGE -> ReasonCode.PACKET_TOO_LARGE;
      case QUOTA_EXCEEDED -> ReasonCode.QUOTA_EXCEEDED;
      case STORAGE_FAILED -> ReasonCode.UNSPECIFIED_ERROR;
      case UNAVAILABLE -> ReasonCode.SERVER_UNAVAILABLE;
    };
  }
}
