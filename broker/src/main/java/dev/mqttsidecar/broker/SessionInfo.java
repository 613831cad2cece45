package dev.mqttsidecar.broker;

import java.util.List;

/**
 * What an operator sees of one session.
 *
 * @param key the session's key: the client id, or an in-process subscriber's id
 * @param clientId the client identifier
 * @param inProcess an in-process subscriber (a Dapr stream) rather than an MQTT client
 * @param connected whether a client is attached now
 * @param username the user name of the connected client, or null
 * @param protocolVersion 4 (3.1.1) or 5 for a connected MQTT client, else 0
 * @param remoteAddress the connected client's {@code host:port}, or null
 * @param persistent whether the session outlives its connection (session expiry above zero)
 * @param subscriptions the session's topic filters
 * @param queued messages waiting in its queue
 * @param inflight QoS 1/2 messages sent and not yet acknowledged
 */
public record SessionInfo(
    String key,
    String clientId,
    boolean inProcess,
    boolean connected,
    String username,
    int protocolVersion,
    String remoteAddress,
    boolean persistent,
    List<String> subscriptions,
    int queued,
    int inflight) {
  public SessionInfo {
    subscriptions = List.copyOf(subscriptions);
  }
}
