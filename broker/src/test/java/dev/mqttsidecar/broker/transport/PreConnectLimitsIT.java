package dev.mqttsidecar.broker.transport;

import static dev.mqttsidecar.broker.testing.RawMqttClient.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * What a connection that has not (yet) sent a valid CONNECT may cost: a fixed time, a small first
 * packet, a connection slot only while one is free.
 */
class PreConnectLimitsIT {

  @Test
  void theConnectTimeoutIsADeadlineFromAcceptNotAnIdleTimer() throws Exception {
    BrokerConfig.Builder config = BrokerConfig.builder().connectTimeout(Duration.ofSeconds(1));
    try (BrokerFixture f = BrokerFixture.start(config);
        RawMqttClient c = RawMqttClient.connect("127.0.0.1", f.port())) {
      long start = System.nanoTime();
      c.send(bytes(0x10, 0x7F)); // a CONNECT of 127 bytes, sent one byte at a time
      boolean closed = false;
      for (int i = 0; i < 50 && !closed; i++) { // at most 50 x 200 ms
        closed = sendQuietly(c, bytes(0)) || c.closedWithin(Duration.ofMillis(200));
      }
      assertThat(closed).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void aFirstPacketOverTheConnectLimitClosesTheConnectionAtOnce() throws Exception {
    try (BrokerFixture f = BrokerFixture.start();
        RawMqttClient c = RawMqttClient.connect("127.0.0.1", f.port())) {
      // A CONNECT announcing 1 MiB (the broker's packet limit is 5 MiB), then only 100 bytes.
      c.send(bytes(0x10, 0x80, 0x80, 0x40));
      c.send(new byte[100]);
      assertThat(c.closedWithin(Duration.ofSeconds(2))).isTrue();
    }
  }

  @Test
  void connectionsOverMaxConnectionsAreClosedWhenAccepted() throws Exception {
    try (BrokerFixture f = BrokerFixture.start(BrokerConfig.builder().maxConnections(2))) {
      List<RawMqttClient> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          clients.add(RawMqttClient.connect("127.0.0.1", f.port()));
        }
        // Connections are set up on two event loops, so which one comes third is not fixed.
        List<RawMqttClient> open = new ArrayList<>();
        for (RawMqttClient c : clients) {
          if (!c.closedWithin(Duration.ofSeconds(1))) {
            open.add(c);
          }
        }
        assertThat(open).hasSize(2);
        open.get(0).close();
        boolean admitted = false;
        for (int i = 0; i < 20 && !admitted; i++) { // the slot frees once the close is seen
          try (RawMqttClient again = RawMqttClient.connect("127.0.0.1", f.port())) {
            admitted = !again.closedWithin(Duration.ofMillis(300));
          }
        }
        assertThat(admitted).isTrue();
      } finally {
        for (RawMqttClient c : clients) {
          c.close();
        }
      }
    }
  }

  @Test
  void acceptedSocketsUseTcpKeepAlive() throws Exception {
    try (BrokerFixture f = BrokerFixture.start();
        Socket client = new Socket(InetAddress.getLoopbackAddress(), f.port())) {
      // /proc/net/tcp's "tr" column is 2 while a keep-alive timer is armed on the socket.
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> assertThat(timerOfServerSide(f.port(), client.getLocalPort())).isEqualTo(2));
    }
  }

  /** The timer kind of the broker's end of the connection to {@code clientPort}; -1: none yet. */
  private static int timerOfServerSide(int serverPort, int clientPort) throws IOException {
    String local = String.format(Locale.ROOT, ":%04X", serverPort);
    String remote = String.format(Locale.ROOT, ":%04X", clientPort);
    // Java's sockets are IPv6 sockets that also carry IPv4: look in both tables.
    List<String> lines = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> rows = Files.readAllLines(Path.of(table));
      lines.addAll(rows.subList(1, rows.size()));
    }
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f[1].endsWith(local) && f[2].endsWith(remote)) {
        return Integer.parseInt(f[5].substring(0, 2), 16);
      }
    }
    return -1;
  }

  /** Sends, reporting true when the broker has already closed the connection. */
  private static boolean sendQuietly(RawMqttClient c, byte[] b) {
    try {
      c.send(b);
      return false;
    } catch (IOException closed) {
      return true;
    }
  }
}
