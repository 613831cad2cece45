package dev.mqttsidecar.broker.model;

import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBACK;
import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBCOMP;
import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBLISH;
import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBREC;
import static dev.mqttsidecar.broker.testing.RawMqttClient.PUBREL;
import static dev.mqttsidecar.broker.testing.RawMqttClient.SUBACK;
import static dev.mqttsidecar.broker.testing.RawMqttClient.UNSUBACK;
import static dev.mqttsidecar.broker.testing.RawMqttClient.bytes;
import static dev.mqttsidecar.broker.testing.RawMqttClient.concat;
import static dev.mqttsidecar.broker.testing.RawMqttClient.packet;
import static dev.mqttsidecar.broker.testing.RawMqttClient.pubAck;
import static dev.mqttsidecar.broker.testing.RawMqttClient.str;
import static dev.mqttsidecar.broker.testing.RawMqttClient.u16;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mqttsidecar.broker.testing.Mqtt5Packets;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import dev.mqttsidecar.broker.testing.RawMqttClient.Packet;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One MQTT connection of the model test: a raw socket and a reader thread that acknowledges every
 * PUBLISH the way a well-behaved client does (PUBACK; PUBREC, then PUBCOMP on PUBREL) and records
 * it in the connection's {@link ClientSession}. Requests wait for their acknowledgement.
 */
final class ModelConnection implements AutoCloseable {
  private static final Duration ACK_WAIT = Duration.ofSeconds(10);
  private static final int NEVER = (int) Duration.ofDays(1).toMillis();

  private final RawMqttClient socket;
  private final boolean mqtt5;
  private final Map<Integer, CompletableFuture<Packet>> awaited = new ConcurrentHashMap<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private int nextPacketId;

  /** The CONNACK's Session Present flag. */
  final boolean sessionPresent;

  private ModelConnection(RawMqttClient socket, boolean mqtt5, boolean sessionPresent) {
    this.socket = socket;
    this.mqtt5 = mqtt5;
    this.sessionPresent = sessionPresent;
  }

  /**
   * Connects without keep alive (so an idle connection is never closed by the broker); {@code
   * sessionExpiry} null sends no Session Expiry Interval (5.0) and is ignored for 3.1.1.
   */
  static ModelConnection open(
      int port, String clientId, boolean mqtt5, boolean cleanStart, Integer sessionExpiry)
      throws IOException {
    RawMqttClient socket = RawMqttClient.connect("127.0.0.1", port);
    try {
      if (mqtt5) {
        byte[] props =
            sessionExpiry == null
                ? Mqtt5Packets.props()
                : Mqtt5Packets.props(Mqtt5Packets.intProp(0x11, 4, sessionExpiry));
        socket.send(Mqtt5Packets.connect(clientId, cleanStart, 0, props));
      } else {
        socket.send(RawMqttClient.connect311(clientId, cleanStart, 0));
      }
      Packet connack = socket.read(ACK_WAIT);
      if (connack.type() != RawMqttClient.CONNACK || connack.body()[1] != 0) {
        throw new IOException(clientId + ": connection refused: " + connack);
      }
      return new ModelConnection(socket, mqtt5, (connack.body()[0] & 1) == 1);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Starts reading: every PUBLISH is recorded in {@code session} and, when it goes to the
   * application, passed to {@code delivered} as (topic, message id).
   */
  void startReading(String name, ClientSession session, BiConsumer<String, String> delivered) {
    Thread reader = new Thread(() -> read(session, delivered), "model-reader-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  private void read(ClientSession session, BiConsumer<String, String> delivered) {
    try {
      while (true) {
        Packet p = socket.read(Duration.ofMillis(NEVER));
        switch (p.type()) {
          case PUBLISH -> onPublish(p, session, delivered);
          case PUBREL -> {
            int id = RawMqttClient.u16(p.body(), 0);
            session.released(id);
            send(pubAck(PUBCOMP, id));
          }
          case PUBACK, PUBREC, PUBCOMP, SUBACK, UNSUBACK -> {
            CompletableFuture<Packet> f = awaited.remove(key(p.type(), u16(p.body(), 0)));
            if (f != null) {
              f.complete(p);
            }
          }
          default -> {} // DISCONNECT and PINGRESP: the socket closing ends the loop
        }
      }
    } catch (IOException e) {
      // closed by either side
    } finally {
      closed.countDown();
      awaited.values().forEach(f -> f.completeExceptionally(new IOException("connection closed")));
    }
  }

  private void onPublish(Packet p, ClientSession session, BiConsumer<String, String> delivered)
      throws IOException {
    int qos = (p.flags() >> 1) & 3;
    boolean retain = (p.flags() & 1) == 1;
    String topic;
    int packetId;
    byte[] payload;
    if (mqtt5) {
      Mqtt5Packets.Publish publish = Mqtt5Packets.parsePublish(p);
      topic = publish.topic();
      packetId = publish.packetId();
      payload = publish.payload();
    } else {
      byte[] b = p.body();
      int topicLength = u16(b, 0);
      topic = new String(b, 2, topicLength, UTF_8);
      int pos = 2 + topicLength;
      packetId = qos > 0 ? u16(b, pos) : 0;
      payload = java.util.Arrays.copyOfRange(b, qos > 0 ? pos + 2 : pos, b.length);
    }
    String messageId = new String(payload, UTF_8);
    if (session.arrived(messageId, qos, packetId, retain)) {
      delivered.accept(topic, messageId);
    }
    if (qos == 1) {
      send(pubAck(PUBACK, packetId));
    } else if (qos == 2) {
      send(pubAck(PUBREC, packetId));
    }
  }

  /** Publishes and waits for the whole exchange (PUBACK, or PUBREC and PUBCOMP). */
  void publish(String topic, int qos, boolean retain, Integer messageExpiry, String messageId)
      throws IOException {
    int id = qos > 0 ? packetId() : 0;
    byte[] payload = messageId.getBytes(UTF_8);
    byte[] bytes;
    if (mqtt5) {
      byte[] props =
          messageExpiry == null
              ? Mqtt5Packets.props()
              : Mqtt5Packets.props(Mqtt5Packets.intProp(0x02, 4, messageExpiry));
      bytes = Mqtt5Packets.publish(topic, qos, retain, id, props, payload);
    } else {
      bytes = RawMqttClient.publish311(topic, qos, retain, false, id, payload);
    }
    if (qos == 0) {
      send(bytes);
      return;
    }
    Packet ack = request(qos == 1 ? PUBACK : PUBREC, id, bytes);
    requireSuccess(ack, "PUBLISH " + messageId);
    if (qos == 2) {
      requireSuccess(request(PUBCOMP, id, pubAck(PUBREL, id)), "PUBREL " + messageId);
    }
  }

  /** Subscribes one filter; returns the reason code (the granted QoS on success). */
  int subscribe(String filter, int qos, boolean noLocal) throws IOException {
    int id = packetId();
    byte[] bytes =
        mqtt5
            ? Mqtt5Packets.subscribe(id, Mqtt5Packets.props(), filter, qos | (noLocal ? 0x04 : 0))
            : RawMqttClient.subscribe311(id, filter, qos);
    Packet suback = request(SUBACK, id, bytes);
    return suback.body()[suback.body().length - 1] & 0xFF;
  }

  void unsubscribe(String filter) throws IOException {
    int id = packetId();
    byte[] body = mqtt5 ? concat(u16(id), bytes(0), str(filter)) : concat(u16(id), str(filter));
    request(UNSUBACK, id, packet(0xA2, body));
  }

  /**
   * Sends DISCONNECT (5.0: with a new Session Expiry Interval unless null) and waits until the
   * broker closes the connection.
   */
  void disconnect(Integer newSessionExpiry) throws IOException, InterruptedException {
    if (mqtt5 && newSessionExpiry != null) {
      send(packet(0xE0, concat(bytes(0), Mqtt5Packets.props(intProp(newSessionExpiry)))));
    } else {
      send(RawMqttClient.DISCONNECT_311);
    }
    if (!closed.await(ACK_WAIT.toSeconds(), TimeUnit.SECONDS)) {
      throw new IOException("the broker kept the connection open after DISCONNECT");
    }
  }

  private static byte[] intProp(int sessionExpiry) {
    return Mqtt5Packets.intProp(0x11, 4, sessionExpiry);
  }

  /** Waits until the connection is closed (by the broker or by {@link #close()}). */
  boolean awaitClosed(Duration timeout) throws InterruptedException {
    return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Closes the socket without DISCONNECT: to the broker, a lost connection. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  private Packet request(int ackType, int packetId, byte[] bytes) throws IOException {
    CompletableFuture<Packet> ack = new CompletableFuture<>();
    awaited.put(key(ackType, packetId), ack);
    send(bytes);
    try {
      return ack.get(ACK_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IOException("no " + ackType + " for packet " + packetId + ": " + e, e);
    }
  }

  /** A 5.0 acknowledgement's reason code follows the packet id; 3.1.1 has none. */
  private static void requireSuccess(Packet ack, String what) throws IOException {
    byte[] b = ack.body();
    if (b.length > 2 && (b[2] & 0xFF) >= 0x80) {
      throw new IOException(what + " refused with reason 0x" + Integer.toHexString(b[2] & 0xFF));
    }
  }

  private synchronized int packetId() {
    nextPacketId = nextPacketId % 65_535 + 1;
    return nextPacketId;
  }

  private synchronized void send(byte[] bytes) throws IOException {
    socket.send(bytes);
  }

  private static int key(int type, int packetId) {
    return (type << 16) | packetId;
  }
}
