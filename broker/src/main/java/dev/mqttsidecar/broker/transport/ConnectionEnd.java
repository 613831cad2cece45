package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.codec.PublishMapper;
import dev.mqttsidecar.broker.codec.ReasonCode;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an MQTT connection ends: the client's DISCONNECT, or the broker's refusal of a CONNECT, its
 * DISCONNECT after a protocol error, or a plain close. Each sets {@link MqttConnection#state} to
 * CLOSED and the reason the disconnected event gives. Runs on the connection's event loop.
 */
final class ConnectionEnd {
  private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

  /** How long a connection closed by the broker may still drain input. */
  private static final long LINGER_MILLIS = 500;

  private ConnectionEnd() {}

  /** The client's DISCONNECT: its will goes unless asked to stay [MQTT-3.14.4-3]. */
  static void disconnected(MqttConnection c, MqttMessage m) {
    boolean keepWill = false;
    if (c.mqtt5 && m.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader vh) {
      keepWill = vh.reasonCode() == ReasonCode.DISCONNECT_WITH_WILL.value(); // [MQTT-3.14.4-3]
      Integer expiry =
          PublishMapper.intProperty(vh.properties(), MqttProperties.SESSION_EXPIRY_INTERVAL);
      if (expiry != null) {
        if (c.sessionExpiryWasZero && expiry != 0) {
          // [MQTT-3.14.2-2]
          protocolError(c, ReasonCode.PROTOCOL_ERROR, "session expiry set after 0");
          return;
        }
        c.session.setExpiry(
            ConnectHandler.sessionExpiry(expiry, c.services.config().maxSessionExpiry()));
      }
    }
    if (!keepWill) {
      c.will = null; // [MQTT-3.1.2-10]
    }
    c.closeReason = keepWill ? "disconnect with will message" : "normal disconnection";
    c.state = MqttConnection.State.CLOSED;
    c.channel.close(); // [MQTT-3.14.4-1]
  }

  /** A packet the decoder could not read: a refused CONNECT, or a protocol error after it. */
  static void decodeFailure(MqttConnection c, MqttMessage failed) {
    Throwable cause = failed.decoderResult().cause();
    LOG.debug("malformed packet from {}: {}", c.channel.remoteAddress(), cause.toString());
    if (c.state == MqttConnection.State.AWAIT_CONNECT) {
      if (failed.variableHeader() instanceof MqttConnectVariableHeader vh) {
        c.mqtt5 = vh.version() == 5; // the refusal is encoded in the client's version
      }
      if (cause instanceof MqttUnacceptableProtocolVersionException) {
        // Answered in 3.1.1 form, which every client version can read [MQTT-3.1.2-2].
        refuseConnect(c, (byte) 0x01, (byte) 0x01);
      } else if (cause instanceof MqttIdentifierRejectedException) {
        refuseConnect(c, (byte) 0x02, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID.value());
      } else {
        close(c, "malformed CONNECT");
      }
      return;
    }
    protocolError(c, ReasonCode.MALFORMED_PACKET, cause.getMessage());
  }

  /**
   * Refuses a CONNECT with a 3.1.1 return code or a 5.0 reason code, then closes [MQTT-3.2.2-5].
   */
  static void refuseConnect(MqttConnection c, byte code311, byte code5) {
    c.state = MqttConnection.State.CLOSED;
    c.server.stats().countConnectRefused(code5);
    byte code = c.mqtt5 ? code5 : code311;
    c.channel
        .writeAndFlush(Packets.connAck(code, false, MqttProperties.NO_PROPERTIES))
        .addListener(f -> closeAfterWrite(c.channel));
  }

  /** Closes after a protocol error; a 5.0 client that completed CONNECT first gets DISCONNECT. */
  static void protocolError(MqttConnection c, ReasonCode reason, String detail) {
    if (c.state == MqttConnection.State.CLOSED) {
      return;
    }
    LOG.debug("closing {} ({}): {} {}", c.clientId, c.channel.remoteAddress(), reason, detail);
    boolean sendDisconnect = c.mqtt5 && c.state == MqttConnection.State.CONNECTED;
    c.state = MqttConnection.State.CLOSED;
    c.closeReason = ConnectionEvents.reasonText(reason);
    if (sendDisconnect) {
      // A reason string only for clients that asked for problem information [MQTT-3.1.2-29].
      MqttOutbound.ClientLimits limits = c.clientLimits;
      String text = limits.problemInformation() ? shorten(detail) : null;
      c.channel
          .writeAndFlush(Packets.disconnect(reason, text, limits.maxPacketSize()))
          .addListener(f -> closeAfterWrite(c.channel));
    } else {
      c.channel.close();
    }
  }

  /** Closes without a word, before CONNECT is done. */
  static void close(MqttConnection c, String why) {
    LOG.debug("closing {}: {}", c.channel.remoteAddress(), why);
    c.state = MqttConnection.State.CLOSED;
    c.channel.close();
  }

  /**
   * Half-closes after a final packet and closes shortly after: closing a socket with unread input
   * makes the kernel send RST, which would discard the DISCONNECT before the client reads it. The
   * frame decoder drops whatever still arrives meanwhile.
   */
  private static void closeAfterWrite(Channel channel) {
    if (channel instanceof DuplexChannel duplex && channel.isActive()) {
      duplex.shutdownOutput();
      channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    } else {
      channel.close();
    }
  }

  private static String shorten(String detail) {
    if (detail == null) {
      return null;
    }
    return detail.length() <= 100 ? detail : detail.substring(0, 100);
  }
}
