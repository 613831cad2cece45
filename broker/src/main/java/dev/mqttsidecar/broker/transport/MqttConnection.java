package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.broker.codec.ProtocolViolation;
import dev.mqttsidecar.broker.codec.ReasonCode;
import dev.mqttsidecar.broker.codec.VersionedMqttEncoder;
import dev.mqttsidecar.broker.core.BrokerServices;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.sys.ClientEvent;
import dev.mqttsidecar.broker.sys.ConnectedClients;
import dev.mqttsidecar.broker.tls.PeerCertificateName;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
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
 * here, after its payload has been copied out. Outbound packets are encoded here too (a pipeline
 * stage would cost every connection a handler context): by the {@link CoalescingWriter} or {@link
 * MqttEncoder}.
 */
final class MqttConnection extends ChannelDuplexHandler implements ConnectedClients.Client {
  private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

  /** Packets a client may pipeline behind CONNECT before CONNACK is sent. */
  private static final int MAX_HELD = 1000;

  /** A client that states no limits: most of them share this one. */
  static final MqttOutbound.ClientLimits DEFAULT_LIMITS =
      new MqttOutbound.ClientLimits(Long.MAX_VALUE, 0, true);

  enum State {
    AWAIT_CONNECT,
    CONNECTING,
    CONNECTED,
    CLOSED
  }

  final BrokerServices services;
  final MqttServer server;
  final String listener;

  // Event-loop confined. Parts most connections never use are made on first use: an idle
  // connection holds as little as possible.
  Channel channel;
  private CoalescingWriter writer; // deliveries and acknowledgements share flushes
  private PublishHandler publishHandler; // made by the first PUBLISH or PUBREL
  State state = State.AWAIT_CONNECT;
  boolean mqtt5;
  String clientId;
  ClientIdentity identity; // from CONNECT; the authenticated one once accepted
  Instant credentialsExpireAt; // null: the credentials do not expire
  Session session;
  MqttOutbound outbound;
  Wills.Will will;
  PendingWills.Entry willRecord; // this connection's will among those held, or null
  boolean sessionExpiryWasZero;
  MqttOutbound.ClientLimits clientLimits = DEFAULT_LIMITS;
  boolean responseInformationRequested;
  EnhancedAuthFlow enhancedAuth;

  String closeReason; // why the connection ended, for the disconnected event; null: network lost

  private boolean wasConnected;
  private ArrayDeque<Object> held; // packets that came before CONNACK; null when none wait

  MqttConnection(BrokerServices services, MqttServer server, String listener) {
    this.services = services;
    this.server = server;
    this.listener = listener;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    super.channelActive(ctx);
  }

  /**
   * Sends a packet that may share its flush with the writes around it ({@link CoalescingWriter});
   * from another thread it is flushed at once.
   */
  void send(Object packet) {
    if (!channel.eventLoop().inEventLoop()) {
      channel.writeAndFlush(packet);
      return;
    }
    if (writer == null) {
      writer = new CoalescingWriter(channel);
    }
    writer.write(packet, mqtt5);
  }

  private PublishHandler publishHandler() {
    if (publishHandler == null) {
      publishHandler = new PublishHandler(this);
    }
    return publishHandler;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (writer != null && msg instanceof MqttMessage) {
      writer.writeBatch(); // packets the writer holds go first
    }
    VersionedMqttEncoder.write(ctx, msg, promise, mqtt5); // passes anything else through
  }

  /** The pipeline is torn down once the channel closed: its connection slot is free again. */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    server.closed(ctx.channel());
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    state = State.CLOSED;
    releaseHeld();
    if (session != null) {
      server.wills().connectionEnded(clientId, will, willRecord, session.expiry());
      will = null;
      willRecord = null;
      session.detach(outbound);
      session.executor().moveHome(channel.eventLoop());
    }
    if (wasConnected) {
      server.stats().clientDisconnected();
      server.connectedClients().disconnected(this);
      if (server.events().wanted()) {
        server
            .events()
            .disconnected(
                ConnectionEvents.event(
                    this, closeReason == null ? "connection lost" : closeReason));
      }
    }
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
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
      if (held == null) {
        held = new ArrayDeque<>(4);
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
      ConnectionEnd.decodeFailure(this, m);
      return;
    }
    MqttMessageType type = m.fixedHeader().messageType();
    if (state == State.AWAIT_CONNECT && type != MqttMessageType.CONNECT) {
      ConnectionEnd.close(this, "first packet is not CONNECT"); // [MQTT-3.1.0-1]
      return;
    }
    switch (type) {
      case CONNECT -> {
        if (state != State.AWAIT_CONNECT) {
          protocolError(ReasonCode.PROTOCOL_ERROR, "second CONNECT"); // [MQTT-3.1.0-2]
        } else {
          new ConnectHandler(this).onConnect((MqttConnectMessage) m);
        }
      }
      case PUBLISH -> publishHandler().onPublish((MqttPublishMessage) m);
      case PUBACK, PUBCOMP -> session.settle(packetId(m), null);
      case PUBREC -> session.pubrec(packetId(m), reasonCode(m) >= 0x80);
      case PUBREL -> publishHandler().onPubrel(packetId(m));
      case SUBSCRIBE -> new SubscribeHandler(this).onSubscribe((MqttSubscribeMessage) m);
      case UNSUBSCRIBE -> new SubscribeHandler(this).onUnsubscribe((MqttUnsubscribeMessage) m);
      case PINGREQ -> channel.writeAndFlush(Packets.pingResp()); // [MQTT-3.12.4-1]
      case DISCONNECT -> ConnectionEnd.disconnected(this, m);
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

  /** Another connection took the session over: the disconnected event says so. */
  void sessionTakenOver() {
    closeReason = ConnectionEvents.reasonText(ReasonCode.SESSION_TAKEN_OVER);
  }

  /** Called once the session is attached and CONNACK written: start normal operation. */
  void connected(int keepAliveSeconds) {
    if (state != State.CONNECTING) {
      return;
    }
    state = State.CONNECTED;
    wasConnected = true;
    server.stats().clientConnected();
    server.connectedClients().connected(this);
    if (server.events().wanted()) {
      server.events().connected(describe());
    }
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
    while (held != null && !held.isEmpty() && state == State.CONNECTED) {
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
    releaseHeld();
  }

  /** Releases packets still held (the connection closed before they ran) and the queue. */
  private void releaseHeld() {
    if (held != null) {
      while (!held.isEmpty()) {
        ReferenceCountUtil.release(held.poll());
      }
      held = null;
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

  /** Refuses the CONNECT with a 3.1.1 return code or a 5.0 reason code [MQTT-3.2.2-5]. */
  void refuseConnect(byte code311, byte code5) {
    ConnectionEnd.refuseConnect(this, code311, code5);
  }

  /** Closes after a protocol error; a 5.0 client that completed CONNECT first gets DISCONNECT. */
  void protocolError(ReasonCode reason, String detail) {
    ConnectionEnd.protocolError(this, reason, detail);
  }

  /** The broker is stopping [MQTT-3.14]: 5.0 clients get DISCONNECT 0x8B. */
  void serverShuttingDown() {
    protocolError(ReasonCode.SERVER_SHUTTING_DOWN, "server shutting down");
    if (channel != null) {
      channel.close();
    }
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
        ConnectionEnd.close(this, "no CONNECT in time");
      } else if (state == State.CONNECTING) {
        // An authentication exchange or authenticator that never finishes must not hold the
        // connection (and its maxConnections slot) forever.
        ConnectionEnd.close(this, "no CONNACK in time");
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

  @Override
  public String clientId() {
    return clientId;
  }

  @Override
  public ClientEvent describe() {
    return ConnectionEvents.event(this, null);
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
