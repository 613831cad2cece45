package dev.mqttsidecar.component.endpoint;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientReconnector;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.mqttsidecar.broker.UserProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** MQTT 5 through hivemq-mqtt-client, with manual acknowledgement of received messages. */
final class Mqtt5RemoteClient implements RemoteClient {
  /**
   * The Receive Maximum announced: the protocol's largest (MQTT 5.0 §3.1.2.11.3). Some brokers
   * (Mosquitto 2.0) send a resumed session's unacknowledged messages on top of new ones, beyond a
   * smaller announced value; the client then closes the connection as a protocol error, and every
   * reconnect repeats it, so nothing gets through. What the sidecar holds is bounded by the
   * broker's own in-flight and queue limits instead.
   */
  private static final int RECEIVE_MAXIMUM = 65_535;

  private final Mqtt5AsyncClient client;
  private volatile Events events;
  private volatile boolean reconnect = true;

  Mqtt5RemoteClient(EndpointSettings settings, String clientId, MqttClientSslConfig ssl) {
    Mqtt5ClientBuilder builder =
        MqttClient.builder()
            .useMqttVersion5()
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
                    Mqtt5ClientReconnector reconnector =
                        (Mqtt5ClientReconnector) context.getReconnector();
                    reconnector
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
    client
        .connect(connect(events.nextConnect()))
        .exceptionally(failed -> null); // the disconnected listener reports it and retries
  }

  private static Mqtt5Connect connect(ConnectSpec spec) {
    Mqtt5ConnectBuilder builder =
        Mqtt5Connect.builder()
            .cleanStart(false)
            .sessionExpiryInterval(spec.sessionExpiry().toSeconds())
            .keepAlive((int) spec.keepAlive().toSeconds())
            .restrictions()
            .receiveMaximum(RECEIVE_MAXIMUM)
            .sendMaximum(spec.receiveMaximum())
            .applyRestrictions();
    if (spec.username() != null || spec.password() != null) {
      Mqtt5SimpleAuthBuilder.Complete auth =
          spec.username() != null
              ? Mqtt5SimpleAuth.builder().username(spec.username())
              : Mqtt5SimpleAuth.builder().password(spec.password());
      if (spec.username() != null && spec.password() != null) {
        auth = auth.password(spec.password());
      }
      builder = builder.simpleAuth(auth.build());
    }
    return builder.build();
  }

  private static ReceivedMessage inbound(Mqtt5Publish publish) {
    List<UserProperty> properties = new ArrayList<>();
    publish
        .getUserProperties()
        .asList()
        .forEach(
            p -> properties.add(new UserProperty(p.getName().toString(), p.getValue().toString())));
    RemoteMessage message =
        new RemoteMessage(
            publish.getTopic().toString(),
            publish.getPayloadAsBytes(),
            Math.min(publish.getQos().getCode(), 1),
            publish.isRetain(),
            publish.getContentType().map(Object::toString).orElse(null),
            properties);
    return new ReceivedMessage(message, publish::acknowledge);
  }

  @Override
  public CompletableFuture<Void> publish(RemoteMessage message) {
    Mqtt5PublishBuilder.Complete builder =
        Mqtt5Publish.builder()
            .topic(message.topic())
            .payload(message.payload())
            .qos(MqttQos.fromCode(message.qos()))
            .retain(message.retain());
    if (message.contentType() != null) {
      builder = builder.contentType(message.contentType());
    }
    if (!message.userProperties().isEmpty()) {
      Mqtt5UserPropertiesBuilder properties = Mqtt5UserProperties.builder();
      for (UserProperty p : message.userProperties()) {
        properties = properties.add(p.name(), p.value());
      }
      builder = builder.userProperties(properties.build());
    }
    return client
        .publish(builder.build())
        .thenAccept(
            result -> {
              if (result.getError().isPresent()) {
                throw new RemoteRefusedException(result.getError().get().getMessage());
              }
            });
  }

  @Override
  public CompletableFuture<Void> subscribe(String filter, int qos) {
    return client
        .subscribeWith()
        .topicFilter(filter)
        .qos(MqttQos.fromCode(qos))
        // Not our own messages back [MQTT-3.8.3-3]; a shared subscription may not ask it
        // [MQTT-3.8.3-4].
        .noLocal(!filter.startsWith("$share/"))
        .send()
        .thenAccept(
            ack -> {
              for (Mqtt5SubAckReasonCode code : ack.getReasonCodes()) {
                if (code.isError()) {
                  throw new RemoteRefusedException("SUBACK " + code + " for " + filter);
                }
              }
            });
  }

  @Override
  public void disconnect(boolean reconnect) {
    this.reconnect = reconnect;
    client.disconnect().exceptionally(e -> null);
  }
}
