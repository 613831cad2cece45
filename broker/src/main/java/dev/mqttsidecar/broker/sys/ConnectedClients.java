package dev.mqttsidecar.broker.sys;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MQTT clients connected now, by client id. Each connection records itself when it is
 * connected; what it is (user, address, protocol) is read only when someone asks, so an idle
 * connection costs one map entry here.
 */
public final class ConnectedClients {
  /** A connection, described on demand. */
  public interface Client {
    String clientId();

    ClientEvent describe();
  }

  private final Map<String, Client> byClientId = new ConcurrentHashMap<>();

  public void connected(Client client) {
    byClientId.put(client.clientId(), client);
  }

  /** Forgets {@code client}, unless a newer connection took its client id over. */
  public void disconnected(Client client) {
    byClientId.remove(client.clientId(), client);
  }

  /** The client connected now with {@code clientId}, described, or null. */
  public ClientEvent get(String clientId) {
    Client client = byClientId.get(clientId);
    return client == null ? null : client.describe();
  }
}
