package dev.mqttsidecar.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar process started with {@code --config}, as an operator meets it. */
class ConfigFileIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration EXIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private Path config(String yaml) throws Exception {
    return Files.writeString(dir.resolve("mqtt-sidecar.yaml"), yaml);
  }

  private static int listenerPort(SidecarProcess sidecar, String listener) throws Exception {
    return Integer.parseInt(
        sidecar
            .awaitLine(
                Pattern.compile(
                    "MQTT broker listening on 127\\.0\\.0\\.1:(\\d+) \\(listener "
                        + listener
                        + ", mqtt\\)"),
                START)
            .group(1));
  }

  private static Mqtt5ConnAck connect(String id, int port) {
    Mqtt5BlockingClient client =
        Mqtt5Client.builder()
            .identifier(id)
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildBlocking();
    Mqtt5ConnAck ack = client.connect();
    client.disconnect();
    return ack;
  }

  /** The one line an exiting sidecar printed, after checking it printed nothing else. */
  private static String onlyLine(SidecarProcess sidecar) {
    List<String> lines = sidecar.output().strip().lines().toList();
    assertThat(lines).as("output").hasSize(1);
    return lines.get(0);
  }

  @Test
  void theFilesListenersSocketMqttSettingsAndLimitsAreServed() throws Exception {
    Path file =
        config(
            """
            socket:
              folder: sockets          # next to this file
              name: configured
              mode: "0640"
            listeners:
              - name: local
                port: 0
              - name: second
                host: 127.0.0.1
                port: 0
            mqtt:
              serverKeepAlive: 5
              receiveMaximum: 7
              topicAliasMaximum: 3
            limits:
              maxPersistentSessions: 0
            """);
    try (SidecarProcess sidecar = SidecarProcess.launch(List.of("--config", file.toString()))) {
      int local = listenerPort(sidecar, "local");
      int second = listenerPort(sidecar, "second");
      assertThat(local).isPositive().isNotEqualTo(second);
      for (int port : List.of(local, second)) {
        Mqtt5ConnAck ack = connect("device-" + port, port);
        assertThat(ack.getServerKeepAlive()).hasValue(5);
        assertThat(ack.getRestrictions().getReceiveMaximum()).isEqualTo(7);
        assertThat(ack.getRestrictions().getTopicAliasMaximum()).isEqualTo(3);
      }
      Mqtt5ConnAckException refused =
          catchThrowableOfType(
              () ->
                  Mqtt5Client.builder()
                      .identifier("keeps-its-session")
                      .serverHost("127.0.0.1")
                      .serverPort(local)
                      .buildBlocking()
                      .connectWith()
                      .sessionExpiryInterval(60)
                      .send(),
              Mqtt5ConnAckException.class);
      assertThat(refused.getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED);
      sidecar.awaitLine(
          Pattern.compile(
              "WARN .* persistent session for client 'keeps-its-session' refused:"
                  + " maxPersistentSessions \\(0\\) reached"),
          START);
      Path socket = dir.resolve("sockets").resolve("configured.sock");
      sidecar.awaitLine(
          Pattern.compile("socket listening on " + Pattern.quote(socket.toString())), START);
      assertThat(Files.getPosixFilePermissions(socket))
          .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
      assertThat(Files.getPosixFilePermissions(dir.resolve("sockets")))
          .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
      try (FakeDaprd daprd = new FakeDaprd(socket)) {
        assertThat(daprd.listServices()).contains("dapr.proto.components.v1.PubSub");
      }
    }
  }

  @Test
  void optionsGivenOnTheCommandLineOverrideTheFile() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path file =
          config(
              """
              socket: { folder: sockets, name: from-file, mode: "0640" }
              listeners: [{ name: only, port: %d }]
              """
                  .formatted(taken.getLocalPort()));
      // The file's port is taken: the sidecar starts only because --mqtt-port replaces it.
      try (SidecarProcess sidecar =
          SidecarProcess.launch(
              List.of(
                  "--config", file.toString(),
                  "--name", "from-cli",
                  "--mqtt-port", "0",
                  "--socket-mode", "0600"))) {
        int port = listenerPort(sidecar, "only");
        assertThat(port).isNotEqualTo(taken.getLocalPort());
        assertThat(connect("overridden", port).getReasonCode().isError()).isFalse();
        Path socket = dir.resolve("sockets").resolve("from-cli.sock");
        sidecar.awaitLine(Pattern.compile(Pattern.quote(socket.toString())), START);
        assertThat(Files.getPosixFilePermissions(socket))
            .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(dir.resolve("sockets").resolve("from-file.sock")).doesNotExist();
      }
    }
  }

  @Test
  void withoutAnyModeTheSocketIsForTheUserAndItsGroup() throws Exception {
    try (SidecarProcess sidecar = SidecarProcess.start(dir, "plain")) {
      assertThat(Files.getPosixFilePermissions(dir.resolve("plain.sock")))
          .isEqualTo(PosixFilePermissions.fromString("rw-rw----"));
    }
  }

  @Test
  void aMistakeInTheFileIsOneLineNamingFileAndKeyWithExitCode2() throws Exception {
    Path file = config("listners:\n  - name: a\n    port: 0\n");
    try (SidecarProcess sidecar = SidecarProcess.launch(List.of("--config", file.toString()))) {
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(2);
      assertThat(onlyLine(sidecar))
          .isEqualTo(
              "mqtt-sidecar: "
                  + file
                  + ": unknown key 'listners' (known keys: authentication, authorization,"
                  + " dataflows, endpoints, http, limits, listeners, log, mqtt, shutdownGrace,"
                  + " socket, storage, sys)");
    }
    config(
        """
        listeners:
          - { name: a, port: 0 }
          - { name: b, port: 0, tls: { cert: server.pem, key: server-key.pem } }
        """);
    try (SidecarProcess sidecar = SidecarProcess.launch(List.of("--config", file.toString()))) {
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(2);
      assertThat(onlyLine(sidecar))
          .isEqualTo(
              "mqtt-sidecar: "
                  + file
                  + ": listeners[1].tls.cert: file not found: server.pem ("
                  + dir.resolve("server.pem")
                  + ")");
    }
    try (SidecarProcess sidecar =
        SidecarProcess.launch(List.of("--config", dir.resolve("missing.yaml").toString()))) {
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(2);
      assertThat(onlyLine(sidecar))
          .isEqualTo("mqtt-sidecar: " + dir.resolve("missing.yaml") + ": file not found");
    }
  }

  @Test
  void aNonLoopbackListenerWithoutAuthenticationIsRefusedBeforeAnythingBinds() throws Exception {
    String why =
        "listener 'default' binds 0.0.0.0, which is not a loopback address, and no authentication"
            + " is configured; anonymous clients are allowed there only when a --config file"
            + " writes authentication.anonymous: true (for a trusted network); otherwise configure"
            + " authentication.passwordFile or authentication.jwt";
    try (SidecarProcess sidecar =
        SidecarProcess.launch(
            List.of("--socket-folder", dir.toString(), "--mqtt-host", "0.0.0.0"))) {
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(2);
      assertThat(onlyLine(sidecar)).isEqualTo("mqtt-sidecar: " + why);
    }
    Path file = config("listeners: [{ name: default, host: 0.0.0.0, port: 0 }]\n");
    try (SidecarProcess sidecar =
        SidecarProcess.launch(
            List.of("--config", file.toString(), "--socket-folder", dir.toString()))) {
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(2);
      assertThat(onlyLine(sidecar)).isEqualTo("mqtt-sidecar: " + file + ": " + why);
    }
    assertThat(dir.resolve("mqtt-sidecar.sock")).doesNotExist();
  }

  @Test
  void aSocketFolderEveryUserMayWriteIsRefusedUnlessTheFileAllowsIt() throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setAttribute(shared, "unix:mode", 0777);
    try (SidecarProcess sidecar =
        SidecarProcess.launch(List.of("--socket-folder", shared.toString(), "--mqtt-port", "0"))) {
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(1);
      assertThat(onlyLine(sidecar))
          .startsWith("mqtt-sidecar: socket folder " + shared + " is writable by every user")
          .contains("chmod o-w " + shared)
          .endsWith(
              "set socket.allowWorldWritableFolder: true in the configuration file for a"
                  + " folder shared on purpose (a Kubernetes emptyDir)");
    }
    assertThat(shared.resolve("mqtt-sidecar.sock")).doesNotExist();
    assertThat(shared.resolve(".mqtt-sidecar-locks")).doesNotExist();

    Path file =
        config(
            "socket: { folder: shared, allowWorldWritableFolder: true }\n"
                + "listeners: [{ name: default, port: 0 }]\n");
    try (SidecarProcess sidecar = SidecarProcess.launch(List.of("--config", file.toString()))) {
      sidecar.awaitLine(Pattern.compile("socket listening on "), START);
      assertThat(shared.resolve("mqtt-sidecar.sock")).exists();
    }
  }

  @Test
  void aLockFileThatIsASymbolicLinkIsRefusedAndItsTargetStaysUntouched() throws Exception {
    Path target = Files.writeString(dir.resolve("precious"), "keep me");
    Path sockets = Files.createDirectory(dir.resolve("sockets"));
    Path locks = Files.createDirectory(sockets.resolve(".mqtt-sidecar-locks"));
    Files.createSymbolicLink(locks.resolve("trap.lock"), target);
    try (SidecarProcess sidecar =
        SidecarProcess.launch(
            List.of("--socket-folder", sockets.toString(), "--name", "trap", "--mqtt-port", "0"))) {
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(1);
      assertThat(onlyLine(sidecar))
          .isEqualTo(
              "mqtt-sidecar: lock file "
                  + locks.resolve("trap.lock")
                  + " is a symbolic link; the sidecar never follows a link there: remove it");
    }
    assertThat(Files.readString(target)).isEqualTo("keep me");
    assertThat(sockets.resolve("trap.sock")).doesNotExist();
  }

  @Test
  void aDataDirectoryEveryUserMayWriteIsRefused() throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    Files.setAttribute(data, "unix:mode", 01777); // the sticky bit is no excuse for a store
    try (SidecarProcess sidecar =
        SidecarProcess.launch(
            List.of(
                "--socket-folder", dir.toString(),
                "--mqtt-port", "0",
                "--data-dir", data.toString()))) {
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(1);
      assertThat(onlyLine(sidecar))
          .isEqualTo(
              "mqtt-sidecar: data directory "
                  + data
                  + " is writable by every user (mode 1777), so another user could replace what"
                  + " the sidecar keeps there; run chmod o-w "
                  + data);
    }
    try (var files = Files.list(data)) {
      assertThat(files).isEmpty();
    }
  }
}
