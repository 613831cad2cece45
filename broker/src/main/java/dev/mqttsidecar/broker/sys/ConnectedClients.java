package dev.mqttsidecar.broker.sys;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MQTT clients connected now, by client id, as their connect events: who they are is known on
 * their event loop only, so each connection records itself here when it is connected.
 */
public final class ConnectedClients {
  private final Map<String, ClientEvent> byClientId = new ConcurrentHashMap<>();

  public void connected(ClientEvent event) {
    byClientId.put(event.clientId(), event);
  }

  /** Forgets the connection of {@code event}, unless a newer one took its client id over. */
  public void disconnected(ClientEvent event) {
    if (event != null) {
      byClientId.remove(event.clientId(), event);
    }
  }

  /** The connect event of the client connected now with {@code clientId}, or null. */
  public ClientEvent get(String clientId) {
    return byClientId.get(clientId);
  }
}
