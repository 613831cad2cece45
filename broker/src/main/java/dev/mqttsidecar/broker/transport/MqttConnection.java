package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.broker.codec.FrameEnd;
import dev.mqttsidecar.broker.codec.ProtocolViolation;
import dev.mqttsidecar.broker.codec.PublishMapper;
import dev.mqttsidecar.broker.codec.ReasonCode;
import dev.mqttsidecar.broker.core.BrokerServices;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.sys.ClientEvent;
import dev.mqttsidecar.broker.tls.PeerCertificateName;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One MQTT connection: the protocol state machine. Runs on the channel's event loop, never blocks
 * it, and hands session work to the session's serial executor. Every inbound message is released
 * here, after its payload has been copied out.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

  /** Packets a client may pipeline behind CONNECT before CONNACK is sent. */
  private static final int MAX_HELD = 1000;

  private static final MqttOutbound.ClientLimits DEFAULT_LIMITS =
      new MqttOutbound.ClientLimits(Long.MAX_VALUE, 0, true);

  /** How long a connection closed by the broker may still drain input. */
  private static final long LINGER_MILLIS = 500;

  enum State {
    AWAIT_CONNECT,
    CONNECTING,
    CONNECTED,
    CLOSED
  }

  final BrokerServices services;
  final MqttServer server;
  final String listener;
  final ConnectHandler connectHandler;
  final PublishHandler publishHandler;
  final SubscribeHandler subscribeHandler;

  // Event-loop confined.
  Channel channel;
  CoalescingWriter writer; // deliveries and acknowledgements share flushes
  State state = State.AWAIT_CONNECT;
  boolean mqtt5;
  String clientId;
  ClientIdentity identity; // from CONNECT; the authenticated one once accepted
  Instant credentialsExpireAt; // null: the credentials do not expire
  Session session;
  MqttOutbound outbound;
  Wills.Will will;
  boolean sessionExpiryWasZero;
  boolean takenOver;
  MqttOutbound.ClientLimits clientLimits = DEFAULT_LIMITS;
  boolean responseInformationRequested;
  EnhancedAuthFlow enhancedAuth;

  /**
   * Why the connection ended, for the disconnected event; null: the network connection was lost.
   */
  String closeReason;

  private boolean wasConnected;
  private int packetsInFrame;
  private final ArrayDeque<Object> held = new ArrayDeque<>();

  MqttConnection(BrokerServices services, MqttServer server, String listener) {
    this.services = services;
    this.server = server;
    this.listener = listener;
    this.connectHandler = new ConnectHandler(this);
    this.publishHandler = new PublishHandler(this);
    this.subscribeHandler = new SubscribeHandler(this);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    writer = new CoalescingWriter(channel);
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    state = State.CLOSED;
    while (!held.isEmpty()) {
      ReferenceCountUtil.release(held.poll());
    }
    if (session != null) {
      if (will != null) {
        server.wills().connectionLost(clientId, will, session.expiry()); // [MQTT-3.1.2-8]
        will = null;
      }
      session.detach(outbound);
      session.executor().moveHome(channel.eventLoop());
    }
    if (wasConnected) {
      server.stats().clientDisconnected();
      server.events().disconnected(event(closeReason == null ? "connection lost" : closeReason));
    }
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg == FrameEnd.INSTANCE) {
      if (packetsInFrame != 1) {
        protocolError(
            ReasonCode.MALFORMED_PACKET, packetsInFrame + " packets decoded from one frame");
      }
      packetsInFrame = 0;
      return;
    }
    packetsInFrame++;
    if (msg instanceof ProtocolViolation v) {
      protocolError(v.reason(), v.detail());
      return;
    }
    if (state == State.CONNECTING) {
      if (enhancedAuth != null
          && msg instanceof MqttMessage auth
          && auth.decoderResult().isSuccess()
          && auth.fixedHeader().messageType() == MqttMessageType.AUTH) {
        try {
          enhancedAuth.onAuth(auth); // the exchange goes on before CONNACK [MQTT-4.12.0-2]
        } finally {
          ReferenceCountUtil.release(msg);
        }
        return;
      }
      if (held.size() >= MAX_HELD) {
        ReferenceCountUtil.release(msg);
        protocolError(ReasonCode.QUOTA_EXCEEDED, "too many packets before CONNACK");
        return;
      }
      held.add(msg); // released when processed or at close
      return;
    }
    try {
      process((MqttMessage) msg);
    } catch (Throwable t) {
      LOG.warn("error handling {} from {}", msg, clientId, t);
      protocolError(ReasonCode.UNSPECIFIED_ERROR, String.valueOf(t));
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void process(MqttMessage m) {
    if (state == State.CLOSED) {
      return;
    }
    if (m.decoderResult().isFailure()) {
      decodeFailure(m.decoderResult().cause());
      return;
    }
    MqttMessageType type = m.fixedHeader().messageType();
    if (state == State.AWAIT_CONNECT && type != MqttMessageType.CONNECT) {
      close("first packet is not CONNECT"); // [MQTT-3.1.0-1]
      return;
    }
    switch (type) {
      case CONNECT -> {
        if (state != State.AWAIT_CONNECT) {
          protocolError(ReasonCode.PROTOCOL_ERROR, "second CONNECT"); // [MQTT-3.1.0-2]
        } else {
          connectHandler.onConnect((MqttConnectMessage) m);
        }
      }
      case PUBLISH -> publishHandler.onPublish((MqttPublishMessage) m);
      case PUBACK, PUBCOMP -> session.settle(packetId(m), null);
      case PUBREC -> session.pubrec(packetId(m), reasonCode(m) >= 0x80);
      case PUBREL -> publishHandler.onPubrel(packetId(m));
      case SUBSCRIBE -> subscribeHandler.onSubscribe((MqttSubscribeMessage) m);
      case UNSUBSCRIBE -> subscribeHandler.onUnsubscribe((MqttUnsubscribeMessage) m);
      case PINGREQ -> channel.writeAndFlush(Packets.pingResp()); // [MQTT-3.12.4-1]
      case DISCONNECT -> onDisconnect(m);
      case AUTH -> {
        if (enhancedAuth == null) {
          // No Authentication Method in CONNECT: AUTH is a protocol error [MQTT-4.12.0-7].
          protocolError(ReasonCode.PROTOCOL_ERROR, "AUTH without enhanced authentication");
        } else {
          enhancedAuth.onAuthWhileConnected(m);
        }
      }
      default -> protocolError(ReasonCode.PROTOCOL_ERROR, type + " is sent by servers only");
    }
  }

  private void decodeFailure(Throwable cause) {
    LOG.debug("malformed packet from {}: {}", channel.remoteAddress(), cause.toString());
    if (state == State.AWAIT_CONNECT) {
      if (cause instanceof MqttUnacceptableProtocolVersionException) {
        // Answered in 3.1.1 form, which every client version can read [MQTT-3.1.2-2].
        refuseConnect((byte) 0x01, (byte) 0x01);
      } else if (cause instanceof MqttIdentifierRejectedException) {
        refuseConnect((byte) 0x02, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID.value());
      } else {
        close("malformed CONNECT");
      }
      return;
    }
    protocolError(ReasonCode.MALFORMED_PACKET, cause.getMessage());
  }

  /**
   * Runs {@code task} on this connection's event loop; nothing once the loop has stopped with the
   * server, as the connection is gone then.
   */
  void onEventLoop(Runnable task) {
    try {
      channel.eventLoop().execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("{}: server stopped before the connection was answered", clientId);
    }
  }

  /** Called once the session is attached and CONNACK written: start normal operation. */
  void connected(int keepAliveSeconds) {
    if (state != State.CONNECTING) {
      return;
    }
    state = State.CONNECTED;
    wasConnected = true;
    server.stats().clientConnected();
    server.events().connected(event(null));
    if (channel.pipeline().get(ConnectDeadline.NAME) != null) {
      channel.pipeline().remove(ConnectDeadline.NAME);
    }
    if (credentialsExpireAt != null) {
      long left =
          Duration.between(services.config().clock().instant(), credentialsExpireAt).toMillis();
      channel
          .eventLoop()
          .schedule(
              () -> protocolError(ReasonCode.MAXIMUM_CONNECT_TIME, "credentials expired"),
              Math.max(0, left),
              TimeUnit.MILLISECONDS);
    }
    if (keepAliveSeconds > 0) {
      long millis = keepAliveSeconds * 1500L; // [MQTT-3.1.2-24] (3.1.1), [MQTT-3.1.2-22] (5.0)
      channel
          .pipeline()
          .addBefore(
              "frames", "keepAlive", new IdleStateHandler(millis, 0, 0, TimeUnit.MILLISECONDS));
    }
    while (!held.isEmpty() && state == State.CONNECTED) {
      Object msg = held.poll();
      try {
        process((MqttMessage) msg);
      } catch (Throwable t) {
        LOG.warn("error handling {} from {}", msg, clientId, t);
        protocolError(ReasonCode.UNSPECIFIED_ERROR, String.valueOf(t));
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }

  /**
   * The verified client certificate's subject CN (or first subject alternative name), or null on a
   * connection without one.
   */
  String certificateName() {
    SslHandler tls = channel.pipeline().get(SslHandler.class);
    return tls == null ? null : PeerCertificateName.of(tls.engine().getSession());
  }

  private void onDisconnect(MqttMessage m) {
    boolean keepWill = false;
    if (mqtt5 && m.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader vh) {
      keepWill = vh.reasonCode() == ReasonCode.DISCONNECT_WITH_WILL.value(); // [MQTT-3.14.4-3]
      Integer expiry =
          PublishMapper.intProperty(vh.properties(), MqttProperties.SESSION_EXPIRY_INTERVAL);
      if (expiry != null) {
        if (sessionExpiryWasZero && expiry != 0) {
          protocolError(ReasonCode.PROTOCOL_ERROR, "session expiry set after 0"); // [MQTT-3.14.2-2]
          return;
        }
        session.setExpiry(
            ConnectHandler.sessionExpiry(expiry, services.config().maxSessionExpiry()));
      }
    }
    if (!keepWill) {
      will = null; // [MQTT-3.1.2-10]
    }
    closeReason = keepWill ? "disconnect with will message" : "normal disconnection";
    state = State.CLOSED;
    channel.close(); // [MQTT-3.14.4-1]
  }

  /**
   * Refuses a CONNECT with a 3.1.1 return code or a 5.0 reason code, then closes [MQTT-3.2.2-5].
   */
  void refuseConnect(byte code311, byte code5) {
    state = State.CLOSED;
    byte code = mqtt5 ? code5 : code311;
    channel
        .writeAndFlush(Packets.connAck(code, false, MqttProperties.NO_PROPERTIES))
        .addListener(f -> closeAfterWrite());
  }

  /** Closes after a protocol error; a 5.0 client that completed CONNECT first gets DISCONNECT. */
  void protocolError(ReasonCode reason, String detail) {
    if (state == State.CLOSED) {
      return;
    }
    LOG.debug("closing {} ({}): {} {}", clientId, channel.remoteAddress(), reason, detail);
    boolean sendDisconnect = mqtt5 && state == State.CONNECTED;
    state = State.CLOSED;
    closeReason = reasonText(reason);
    if (sendDisconnect) {
      // A reason string only for clients that asked for problem information [MQTT-3.1.2-29].
      String text = clientLimits.problemInformation() ? shorten(detail) : null;
      channel
          .writeAndFlush(Packets.disconnect(reason, text, clientLimits.maxPacketSize()))
          .addListener(f -> closeAfterWrite());
    } else {
      channel.close();
    }
  }

  /**
   * Half-closes after a final packet and closes shortly after: closing a socket with unread input
   * makes the kernel send RST, which would discard the DISCONNECT before the client reads it. The
   * frame validator drops whatever still arrives meanwhile.
   */
  private void closeAfterWrite() {
    if (channel instanceof DuplexChannel duplex && channel.isActive()) {
      duplex.shutdownOutput();
      channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    } else {
      channel.close();
    }
  }

  /** The broker is stopping [MQTT-3.14]: 5.0 clients get DISCONNECT 0x8B. */
  void serverShuttingDown() {
    protocolError(ReasonCode.SERVER_SHUTTING_DOWN, "server shutting down");
    if (channel != null) {
      channel.close();
    }
  }

  private void close(String why) {
    LOG.debug("closing {}: {}", channel.remoteAddress(), why);
    state = State.CLOSED;
    channel.close();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    if (channel.isWritable() && session != null && state == State.CONNECTED) {
      session.outboundHasRoom();
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent && state == State.CONNECTED) {
      protocolError(ReasonCode.KEEP_ALIVE_TIMEOUT, "keep alive expired"); // [MQTT-3.1.2-24]
      return;
    }
    if (evt == ConnectDeadline.Expired.INSTANCE) {
      if (state == State.AWAIT_CONNECT) {
        close("no CONNECT in time");
      } else if (state == State.CONNECTING) {
        // An authentication exchange or authenticator that never finishes must not hold the
        // connection (and its maxConnections slot) forever.
        close("no CONNACK in time");
      }
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // The network, or bytes the TLS or WebSocket stage could not read, are the peer's doing;
    // anything else is a bug in a handler.
    boolean peer = cause instanceof IOException || cause instanceof DecoderException;
    LOG.atLevel(peer ? Level.DEBUG : Level.WARN)
        .setCause(peer ? null : cause)
        .log("connection error {} ({}): {}", channel.remoteAddress(), clientId, cause.toString());
    if (cause instanceof IOException || !channel.isActive() || state == State.CLOSED) {
      state = State.CLOSED; // the network failed: nothing can be sent
      ctx.close();
    } else {
      protocolError(ReasonCode.UNSPECIFIED_ERROR, cause.toString()); // 5.0: DISCONNECT 0x80
    }
  }

  private ClientEvent event(String reason) {
    return ConnectionEvents.event(this, reason);
  }

  static String reasonText(ReasonCode reason) {
    return ConnectionEvents.reasonText(reason);
  }

  private static String shorten(String detail) {
    if (detail == null) {
      return null;
    }
    return detail.length() <= 100 ? detail : detail.substring(0, 100);
  }

  static int packetId(MqttMessage m) {
    return ((MqttMessageIdVariableHeader) m.variableHeader()).messageId();
  }

  private static int reasonCode(MqttMessage m) {
    return m.variableHeader() instanceof MqttPubReplyMessageVariableHeader v
        ? v.reasonCode() & 0xFF
        : 0;
  }
}
