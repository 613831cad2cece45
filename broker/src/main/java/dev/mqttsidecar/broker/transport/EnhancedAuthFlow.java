package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.EnhancedAuthenticator;
import dev.mqttsidecar.broker.codec.PublishMapper;
import dev.mqttsidecar.broker.codec.ReasonCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One connection's enhanced authentication [MQTT-4.12]: CONNECT, then AUTH 0x18 in both directions
 * until the authenticator succeeds (CONNACK 0x00) or fails (CONNACK 0x87). Later the client may
 * re-authenticate with AUTH 0x19, answered with AUTH 0x18 rounds and AUTH 0x00, or DISCONNECT 0x87
 * on failure [MQTT-4.12.1]. Authenticator steps run on the worker pool; everything else on the
 * event loop.
 */
final class EnhancedAuthFlow {
  private static final byte SUCCESS = 0x00;
  private static final byte CONTINUE_AUTHENTICATION = 0x18;
  private static final byte RE_AUTHENTICATE = 0x19;

  private final MqttConnection conn;
  private final String method;
  private final EnhancedAuthenticator authenticator;
  private final Consumer<Boolean> done;
  // Created and used on the worker pool, one step at a time; null until the first step.
  private volatile EnhancedAuthenticator.Exchange exchange;
  private boolean awaitingClient;
  private boolean reauthenticating;
  private byte[] successData;

  EnhancedAuthFlow(
      MqttConnection conn,
      String method,
      EnhancedAuthenticator authenticator,
      Consumer<Boolean> done) {
    this.conn = conn;
    this.method = method;
    this.authenticator = authenticator;
    this.done = done;
  }

  String method() {
    return method;
  }

  /** Authentication Data for the CONNACK of a successful exchange, or null. */
  byte[] successData() {
    return successData;
  }

  void step(byte[] data) {
    awaitingClient = false;
    String clientId = conn.clientId;
    SocketAddress remote = conn.channel.remoteAddress();
    CompletableFuture.supplyAsync(
            () -> {
              if (exchange == null) {
                exchange = authenticator.begin(clientId, method, remote);
              }
              return exchange.step(data);
            },
            conn.services.workers())
        .whenComplete(
            (s, e) ->
                conn.channel.eventLoop().execute(() -> onStep(e == null && s != null ? s : null)));
  }

  private void onStep(EnhancedAuthenticator.Step s) {
    MqttConnection.State expected =
        reauthenticating ? MqttConnection.State.CONNECTED : MqttConnection.State.CONNECTING;
    if (conn.state != expected) {
      return; // closed meanwhile
    }
    if (s != null && s.outcome() == EnhancedAuthenticator.Outcome.CONTINUE) {
      awaitingClient = true;
      conn.channel.writeAndFlush(Packets.auth(CONTINUE_AUTHENTICATION, method, s.data()));
      return;
    }
    boolean ok = s != null && s.outcome() == EnhancedAuthenticator.Outcome.SUCCESS;
    if (reauthenticating) {
      reauthenticating = false;
      if (ok) {
        conn.channel.writeAndFlush(Packets.auth(SUCCESS, method, s.data()));
      } else {
        conn.protocolError(
            ReasonCode.NOT_AUTHORIZED, "re-authentication failed"); // [MQTT-4.12.1-2]
      }
      return;
    }
    successData = ok ? s.data() : null;
    done.accept(ok);
  }

  /** An AUTH packet after CONNACK: starts or continues a re-authentication [MQTT-4.12.1]. */
  void onAuthWhileConnected(MqttMessage m) {
    if (!(m.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader vh)
        || !method.equals(
            PublishMapper.stringProperty(vh.properties(), MqttProperties.AUTHENTICATION_METHOD))) {
      // Re-authentication keeps the method of CONNECT [MQTT-4.12.1-1].
      conn.protocolError(ReasonCode.PROTOCOL_ERROR, "AUTH with another method");
      return;
    }
    byte[] data =
        ConnectHandler.binaryProperty(vh.properties(), MqttProperties.AUTHENTICATION_DATA);
    if (vh.reasonCode() == RE_AUTHENTICATE && !reauthenticating) {
      reauthenticating = true;
      exchange = null; // a new exchange [MQTT-4.12.1]
      step(data);
    } else if (vh.reasonCode() == CONTINUE_AUTHENTICATION && reauthenticating && awaitingClient) {
      step(data);
    } else {
      conn.protocolError(ReasonCode.PROTOCOL_ERROR, "unexpected AUTH");
    }
  }

  /** An AUTH packet from the client before CONNACK. */
  void onAuth(MqttMessage m) {
    if (!awaitingClient
        || !(m.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader vh)) {
      conn.protocolError(ReasonCode.PROTOCOL_ERROR, "unexpected AUTH");
      return;
    }
    MqttProperties props = vh.properties();
    if (vh.reasonCode() != CONTINUE_AUTHENTICATION
        || !method.equals(
            PublishMapper.stringProperty(props, MqttProperties.AUTHENTICATION_METHOD))) {
      // The method must stay the one of CONNECT [MQTT-4.12.0-5].
      conn.protocolError(ReasonCode.PROTOCOL_ERROR, "AUTH with another method or reason");
      return;
    }
    step(ConnectHandler.binaryProperty(props, MqttProperties.AUTHENTICATION_DATA));
  }
}
