package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.broker.sys.BrokerTopics;

/** Whether a client may publish to a topic: a PUBLISH, or the will it leaves in CONNECT. */
final class PublishPermission {
  private PublishPermission() {}

  /** Never to the broker's own topics, whatever the authorizer says; else as it decides. */
  static boolean mayPublish(BrokerConfig config, ClientIdentity client, String topic) {
    return !BrokerTopics.isReserved(topic) && config.authorizer().mayPublish(client, topic);
  }
}
