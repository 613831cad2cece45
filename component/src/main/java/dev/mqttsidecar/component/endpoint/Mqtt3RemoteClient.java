package dev.mqttsidecar.component.endpoint;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.lifecycle.Mqtt3ClientReconnector;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3Connect;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3ConnectBuilder;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * MQTT 3.1.1 through hivemq-mqtt-client: no session expiry (a persistent session lasts until the
 * server drops it), no content type or user properties, no flow control.
 */
final class Mqtt3RemoteClient implements RemoteClient {
  private final Mqtt3AsyncClient client;
  private final String clientId;
  private volatile Events events;
  private volatile boolean reconnect = true;

  Mqtt3RemoteClient(EndpointSettings settings, String clientId, MqttClientSslConfig ssl) {
    this.clientId = clientId;
    Mqtt3ClientBuilder builder =
        MqttClient.builder()
            .useMqttVersion3()
            .identifier(clientId)
            .serverHost(settings.host())
            .serverPort(settings.port())
            .sslConfig(ssl);
    if (settings.transport() == EndpointSettings.Transport.WEBSOCKETS) {
      builder =
          builder.webSocketConfig().serverPath(settings.webSocketPath()).applyWebSocketConfig();
    }
    client =
        builder
            .addConnectedListener(context -> events.connected())
            .addDisconnectedListener(
                context -> {
                  Duration delay = events.disconnected(context.getCause());
                  boolean byUser = context.getSource() == MqttDisconnectSource.USER;
                  if (delay != null && (!byUser || reconnect)) {
                    ((Mqtt3ClientReconnector) context.getReconnector())
                        .reconnect(true)
                        .republishIfSessionExpired(true)
                        .delay(delay.toMillis(), TimeUnit.MILLISECONDS)
                        .connect(connect(events.nextConnect()));
                  }
                })
            .buildAsync();
  }

  @Override
  public void start(Events events, Consumer<ReceivedMessage> receiver) {
    this.events = events;
    client.publishes(
        MqttGlobalPublishFilter.ALL, publish -> receiver.accept(inbound(publish)), true);
    client.connect(connect(events.nextConnect())).exceptionally(failed -> null);
  }

  private Mqtt3Connect connect(ConnectSpec spec) {
    Mqtt3ConnectBuilder builder =
        Mqtt3Connect.builder().cleanSession(false).keepAlive((int) spec.keepAlive().toSeconds());
    if (spec.username() != null || spec.password() != null) {
      // 3.1.1 has no password without a user name [MQTT-3.1.2-22]: the client id stands in.
      var auth =
          builder.simpleAuth().username(spec.username() != null ? spec.username() : clientId);
      if (spec.password() != null) {
        auth = auth.password(spec.password());
      }
      builder = auth.applySimpleAuth();
    }
    return builder.build();
  }

  private static ReceivedMessage inbound(Mqtt3Publish publish) {
    RemoteMessage message =
        new RemoteMessage(
            publish.getTopic().toString(),
            publish.getPayloadAsBytes(),
            Math.min(publish.getQos().getCode(), 1),
            publish.isRetain(),
            null,
            List.of());
    return new ReceivedMessage(message, publish::acknowledge);
  }

  @Override
  public CompletableFuture<Void> publish(RemoteMessage message) {
    return client
        .publishWith()
        .topic(message.topic())
        .payload(message.payload())
        .qos(MqttQos.fromCode(message.qos()))
        .retain(message.retain())
        .send()
        .thenAccept(publish -> {});
  }

  @Override
  public CompletableFuture<Void> subscribe(String filter, int qos) {
    return client
        .subscribeWith()
        .topicFilter(filter)
        .qos(MqttQos.fromCode(qos))
        .send()
        .thenAccept(
            ack -> {
              if (ack.getReturnCodes().contains(Mqtt3SubAckReturnCode.FAILURE)) {
                throw new RemoteRefusedException("SUBACK failure for " + filter);
              }
            });
  }

  @Override
  public void disconnect(boolean reconnect) {
    this.reconnect = reconnect;
    client.disconnect().exceptionally(e -> null);
  }
}
