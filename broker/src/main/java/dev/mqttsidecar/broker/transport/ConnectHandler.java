package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.Authentication;
import dev.mqttsidecar.broker.Authenticator;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.broker.EnhancedAuthenticator;
import dev.mqttsidecar.broker.codec.PublishMapper;
import dev.mqttsidecar.broker.codec.ReasonCode;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SessionRegistry;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** CONNECT: validation, authentication (off the event loop), session open or resume, CONNACK. */
final class ConnectHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectHandler.class);
  private final MqttConnection conn;

  ConnectHandler(MqttConnection conn) {
    this.conn = conn;
  }

  void onConnect(MqttConnectMessage m) {
    BrokerConfig config = conn.services.config();
    MqttConnectVariableHeader vh = m.variableHeader();
    MqttConnectPayload payload = m.payload();
    conn.mqtt5 = vh.version() == 5;
    conn.state = MqttConnection.State.CONNECTING;
    MqttProperties props = vh.properties();

    String flagProblem = flagProblem(vh);
    if (flagProblem != null) {
      conn.refuseConnect((byte) 0x02, ReasonCode.MALFORMED_PACKET.value());
      return;
    }
    String authMethod =
        conn.mqtt5
            ? PublishMapper.stringProperty(props, MqttProperties.AUTHENTICATION_METHOD)
            : null;
    EnhancedAuthenticator enhanced = config.enhancedAuthenticator();
    if (authMethod != null && (enhanced == null || !enhanced.supports(authMethod))) {
      conn.refuseConnect(
          (byte) 0x05, ReasonCode.BAD_AUTHENTICATION_METHOD.value()); // [MQTT-4.12.0-1]
      return;
    }
    if (conn.mqtt5 && !readClientProperties(props)) {
      conn.refuseConnect((byte) 0x02, ReasonCode.PROTOCOL_ERROR.value());
      return;
    }
    String clientId = payload.clientIdentifier();
    String assigned = null;
    if (clientId == null || clientId.isEmpty()) {
      if (!conn.mqtt5 && !vh.isCleanSession()) {
        conn.refuseConnect(
            (byte) 0x02, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID.value()); // [MQTT-3.1.3-8]
        return;
      }
      clientId = "auto-" + UUID.randomUUID(); // [MQTT-3.1.3-6]
      assigned = conn.mqtt5 ? clientId : null; // [MQTT-3.2.2-16]
    }
    Integer receiveMax =
        conn.mqtt5 ? PublishMapper.intProperty(props, MqttProperties.RECEIVE_MAXIMUM) : null;
    if (receiveMax != null && receiveMax == 0) {
      conn.refuseConnect(
          (byte) 0x02, ReasonCode.PROTOCOL_ERROR.value()); // Receive Maximum 0 is a protocol error
      return;
    }
    Wills.Will will = null;
    if (vh.isWillFlag()) {
      String problem = conn.services.rules().nameProblem(payload.willTopic());
      if (problem != null) {
        conn.refuseConnect((byte) 0x02, ReasonCode.TOPIC_NAME_INVALID.value());
        return;
      }
      if (vh.willQos() > config.maximumQos()) {
        // [MQTT-3.2.2-12]; 3.1.1 has no code for it, so: not authorized.
        conn.refuseConnect((byte) 0x05, ReasonCode.QOS_NOT_SUPPORTED.value());
        return;
      }
      will = Wills.Will.fromConnect(vh, payload);
    }
    conn.clientId = clientId;
    conn.identity =
        new ClientIdentity(
            clientId,
            payload.userName(),
            conn.certificateName(),
            conn.listener,
            conn.channel.remoteAddress());
    Wills.Will pendingWill = will;
    String assignedId = assigned;
    int clientReceiveMax = receiveMax == null ? 65535 : receiveMax;
    Consumer<Authentication> decided =
        auth -> afterAuthentication(auth, pendingWill, vh, assignedId, clientReceiveMax);
    if (authMethod != null) {
      conn.enhancedAuth =
          new EnhancedAuthFlow(
              conn,
              authMethod,
              enhanced,
              ok ->
                  decided.accept(
                      ok
                          ? Authentication.accepted(conn.identity.username())
                          : Authentication.refused(Authentication.Outcome.NOT_AUTHORIZED)));
      conn.enhancedAuth.step(binaryProperty(props, MqttProperties.AUTHENTICATION_DATA));
      return;
    }
    ClientIdentity identity = conn.identity;
    byte[] password = payload.passwordInBytes();
    Authenticator authenticator = config.authenticator();
    // Off the event loop: an authenticator may hash a password or call another service.
    CompletableFuture.supplyAsync(
            () -> outcome(identity, password, authenticator), conn.services.workers())
        .thenAccept(outcome -> conn.onEventLoop(() -> decided.accept(outcome)));
  }

  /** The authenticator's decision; one that fails or decides nothing refuses the client. */
  private static Authentication outcome(
      ClientIdentity identity, byte[] password, Authenticator authenticator) {
    try {
      Authentication auth = authenticator.authenticate(identity, password);
      if (auth != null) {
        return auth;
      }
    } catch (RuntimeException | Error e) {
      LOG.error("{}: authenticator failed", identity.clientId(), e);
    }
    return Authentication.refused(Authentication.Outcome.NOT_AUTHORIZED);
  }

  private void afterAuthentication(
      Authentication auth,
      Wills.Will pendingWill,
      MqttConnectVariableHeader vh,
      String assigned,
      int clientReceiveMax) {
    if (conn.state != MqttConnection.State.CONNECTING) {
      return; // closed meanwhile
    }
    switch (auth.outcome()) {
      case ACCEPTED -> {}
      case BAD_CREDENTIALS -> {
        conn.refuseConnect((byte) 0x04, ReasonCode.BAD_USER_NAME_OR_PASSWORD.value());
        return;
      }
      case NOT_AUTHORIZED -> {
        conn.refuseConnect((byte) 0x05, ReasonCode.NOT_AUTHORIZED.value()); // [MQTT-4.12.0-4]
        return;
      }
      case RATE_LIMITED -> {
        conn.refuseConnect((byte) 0x03, ReasonCode.CONNECTION_RATE_EXCEEDED.value());
        return;
      }
    }
    conn.identity = conn.identity.withUsername(auth.username());
    BrokerConfig config = conn.services.config();
    // The will is authorized as the authenticated client [MQTT-3.1.2-9 permits refusing it].
    if (pendingWill != null
        && !PublishPermission.mayPublish(config, conn.identity, pendingWill.message().topic())) {
      conn.refuseConnect((byte) 0x05, ReasonCode.NOT_AUTHORIZED.value());
      return;
    }
    Duration max = config.maxSessionExpiry();
    Duration expiry;
    boolean capped = false;
    if (conn.mqtt5) {
      Integer requested =
          PublishMapper.intProperty(vh.properties(), MqttProperties.SESSION_EXPIRY_INTERVAL);
      long req = requested == null ? 0 : Integer.toUnsignedLong(requested);
      expiry = sessionExpiry(requested == null ? 0 : requested, max);
      capped = expiry.getSeconds() != req;
      conn.sessionExpiryWasZero = req == 0;
    } else {
      expiry = vh.isCleanSession() ? Duration.ZERO : max; // [MQTT-3.1.2-4], [MQTT-3.1.2-6]
    }
    boolean persistent = !expiry.isZero();
    SessionRegistry sessions = conn.services.sessions();
    boolean heldSlot = persistent && sessions.holdsPersistentSlot(conn.clientId);
    if (persistent && sessions.admitPersistent(conn.clientId) != null) {
      // Before the will and the session are touched: a refused client changes nothing. 0x97 is a
      // CONNACK reason code (section 3.2.2.2); 3.1.1 has only 0x03 Server unavailable.
      conn.refuseConnect((byte) 0x03, ReasonCode.QUOTA_EXCEEDED.value());
      return;
    }
    // Held (and stored) before the session opens, so a CONNECT over the cap changes nothing.
    CompletableFuture<Void> willStored = holdWill(pendingWill, expiry);
    if (willStored == null) {
      if (persistent && !heldSlot) {
        sessions.releasePersistentSlot(conn.clientId); // the slot admitPersistent just took
      }
      conn.refuseConnect((byte) 0x03, ReasonCode.QUOTA_EXCEEDED.value());
      return;
    }
    conn.will = pendingWill;
    conn.credentialsExpireAt = auth.expiresAt();
    conn.server.wills().cancel(conn.clientId);
    SessionRegistry.Opened opened =
        sessions.openClient(
            conn.clientId,
            vh.isCleanSession(),
            persistent,
            key -> new Session(key, conn.clientId, conn.services.sessionContext()));
    Session session = opened.session();
    if (opened.present()) {
      ResumedSubscriptions.revokeUnauthorized(conn.services, session, conn.identity);
    }
    session.setExpiry(expiry);
    conn.session = session;
    conn.outbound = new MqttOutbound(conn);
    int keepAlive = // a 3.1.1 client cannot be told of another keep alive: it keeps its own
        conn.mqtt5 && config.serverKeepAlive() != null
            ? (int) config.serverKeepAlive().getSeconds()
            : vh.keepAliveTimeSeconds();
    MqttProperties props =
        conn.mqtt5
            ? conn.server
                .connAckProperties()
                .of(
                    assigned,
                    capped ? expiry : null,
                    conn.responseInformationRequested,
                    conn.enhancedAuth)
            : MqttProperties.NO_PROPERTIES;
    boolean present = opened.present(); // [MQTT-3.2.2-2], [MQTT-3.2.2-3]
    int window = Math.min(config.maxInflightOutbound(), clientReceiveMax);
    // The session's tasks run on this connection's event loop: deliveries are written without a
    // thread hop. Nothing a session does blocks.
    session.executor().moveTo(conn.channel.eventLoop());
    // CONNACK and the switch to CONNECTED happen in one event-loop step, before any resent PUBLISH
    // the session writes next: the client sees CONNACK first, and anything it sends after reading
    // CONNACK finds the connection CONNECTED.
    Runnable connAck =
        () -> {
          conn.channel.writeAndFlush(Packets.connAck((byte) 0, present, props));
          conn.connected(keepAlive);
        };
    Runnable attach =
        () ->
            session.attach(
                conn.outbound,
                window,
                () -> {
                  if (conn.channel.eventLoop().inEventLoop()) {
                    connAck.run(); // writes of the session follow on this thread, after CONNACK
                  } else {
                    conn.onEventLoop(connAck); // queued before the session's writes
                  }
                });
    // CONNACK waits for a replaced session to end: until then its subscriptions still match, and a
    // message the client publishes after CONNACK would be routed to a session it discarded.
    CompletableFuture<Void> ready =
        opened.replacedEnded().isDone()
            ? willStored
            : CompletableFuture.allOf(willStored, opened.replacedEnded());
    DurableAttach.afterWrites(conn, session, expiry, ready, attach);
  }

  /**
   * Holds the accepted CONNECT's will (stored on a durable store), or forgets the client's held
   * one, which can no longer fire once a connection without a will is accepted. Returns when the
   * write is durable (at once when nothing is written), or null: the cap on held wills is reached.
   */
  private CompletableFuture<Void> holdWill(Wills.Will will, Duration sessionExpiry) {
    PendingWills held = conn.server.wills().held();
    if (will == null) {
      return held.clear(conn.clientId);
    }
    conn.willRecord = held.add(conn.clientId, will, sessionExpiry);
    return conn.willRecord == null ? null : conn.willRecord.written();
  }

  /** The client's own limits and requests [MQTT-3.1.2.11]; false if one has a forbidden value. */
  private boolean readClientProperties(MqttProperties props) {
    Integer maxPacket = PublishMapper.intProperty(props, MqttProperties.MAXIMUM_PACKET_SIZE);
    if (maxPacket != null && maxPacket == 0) {
      return false; // Maximum Packet Size 0 is a protocol error
    }
    Integer aliasMax = PublishMapper.intProperty(props, MqttProperties.TOPIC_ALIAS_MAXIMUM);
    Integer problem = PublishMapper.intProperty(props, MqttProperties.REQUEST_PROBLEM_INFORMATION);
    Integer response =
        PublishMapper.intProperty(props, MqttProperties.REQUEST_RESPONSE_INFORMATION);
    if ((problem != null && problem > 1) || (response != null && response > 1)) {
      return false;
    }
    MqttOutbound.ClientLimits limits =
        new MqttOutbound.ClientLimits(
            maxPacket == null ? Long.MAX_VALUE : Integer.toUnsignedLong(maxPacket),
            aliasMax == null ? 0 : aliasMax, // no aliases unless allowed [MQTT-3.1.2-27]
            problem == null || problem == 1); // [MQTT-3.1.2-29]
    // Most clients state no limits: they share one object.
    conn.clientLimits =
        limits.equals(MqttConnection.DEFAULT_LIMITS) ? MqttConnection.DEFAULT_LIMITS : limits;
    conn.responseInformationRequested = response != null && response == 1; // [MQTT-3.1.2-28]
    return true;
  }

  static byte[] binaryProperty(MqttProperties props, int id) {
    MqttProperties.MqttProperty<?> p = props == null ? null : props.getProperty(id);
    return p == null ? null : (byte[]) p.value();
  }

  /** CONNECT flag combinations the spec forbids; the decoder does not check them. */
  private String flagProblem(MqttConnectVariableHeader vh) {
    if (!vh.isWillFlag() && (vh.willQos() != 0 || vh.isWillRetain())) {
      return "will QoS or retain without will flag"; // [MQTT-3.1.2-11], [MQTT-3.1.2-13],
      // [MQTT-3.1.2-15]
    }
    if (vh.willQos() > 2) {
      return "will QoS 3"; // [MQTT-3.1.2-14]
    }
    if (!conn.mqtt5 && vh.hasPassword() && !vh.hasUserName()) {
      return "password without user name"; // [MQTT-3.1.2-22]
    }
    return null;
  }

  /**
   * A Session Expiry Interval (unsigned seconds, 0xFFFFFFFF = never) capped by the configured
   * maximum.
   */
  static Duration sessionExpiry(int wireValue, Duration max) {
    Duration d = Duration.ofSeconds(Integer.toUnsignedLong(wireValue));
    return d.compareTo(max) > 0 ? max : d;
  }
}
