package dev.mqttsidecar.component.endpoint;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** One protocol version's client, as {@link EndpointConnection} drives it. */
interface RemoteClient {

  /** What CONNECT carries; built afresh for every attempt, so credentials are re-read. */
  record ConnectSpec(
      String username,
      byte[] password,
      Duration sessionExpiry,
      Duration keepAlive,
      int receiveMaximum) {}

  /** The connection's life as it happens, called on the client's threads. */
  interface Events {
    void connected();

    /**
     * The connection dropped or an attempt failed; returns how long to wait before the next
     * attempt, or null to stay disconnected.
     */
    Duration disconnected(Throwable cause);

    /** The CONNECT of the next attempt. */
    ConnectSpec nextConnect();
  }

  /** Registers the receiver (before the first connect, so a resumed session loses nothing). */
  void start(Events events, Consumer<ReceivedMessage> receiver);

  /**
   * Completes when the broker acknowledged (QoS 1) or the message was written (QoS 0);
   * exceptionally with {@link RemoteRefusedException} when the broker refused it.
   */
  CompletableFuture<Void> publish(RemoteMessage message);

  CompletableFuture<Void> subscribe(String filter, int qos);

  /** Disconnects; with {@code reconnect}, the events' next delay applies as after any drop. */
  void disconnect(boolean reconnect);
}
