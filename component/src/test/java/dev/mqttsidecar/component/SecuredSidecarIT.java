package dev.mqttsidecar.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.testing.TestPki;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.SidecarProcess;
import dev.mqttsidecar.security.password.PasswordFileEditor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sidecar process with a configuration file that requires passwords and grants each device its
 * own topics: Mosquitto's command-line clients and an MQTT 5 client meet the rules, while Dapr's
 * state store, which is not an MQTT client, is not subject to them.
 */
class SecuredSidecarIT {
  private static final Path MOSQUITTO_PUB = Path.of("/usr/bin/mosquitto_pub");
  private static final Duration START = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void devicesAuthenticateAndTouchOnlyTheirOwnTopics() throws Exception {
    assumeTrue(Files.isExecutable(MOSQUITTO_PUB), "mosquitto-clients is installed by .ci/run");
    Path passwd = dir.resolve("passwd");
    PasswordFileEditor.setPassword(passwd, "device-1", "pw-1".toCharArray());
    PasswordFileEditor.setPassword(passwd, "operator", "op-pw".toCharArray());
    Path config =
        Files.writeString(
            dir.resolve("mqtt-sidecar.yaml"),
            """
            socket: { folder: sockets, name: secured }
            storage: { durability: memory }
            listeners: [{ name: devices, host: 127.0.0.1, port: 0 }]
            authentication: { anonymous: false, passwordFile: passwd }
            authorization:
              rules:
                - match: { username: operator }
                  publish: ["#"]
                  subscribe: ["#", "$dapr/state/#"]
                - match: { username: "device-*" }
                  publish: ["devices/${client.username}/#"]
                  subscribe: ["commands/${client.username}/#"]
            """);
    try (SidecarProcess sidecar = SidecarProcess.launch(List.of("--config", config.toString()))) {
      int port = sidecar.mqttPort();
      Mqtt5BlockingClient operator = client("operator-console", port, "operator", "op-pw");
      try (Mqtt5BlockingClient.Mqtt5Publishes seen =
          operator.publishes(MqttGlobalPublishFilter.ALL)) {
        operator.subscribeWith().topicFilter("devices/#").qos(MqttQos.AT_LEAST_ONCE).send();

        // mosquitto_pub with the right password reaches the operator; a wrong one is refused.
        assertThat(mosquittoPub(port, "device-1", "pw-1", "devices/device-1/temp", "21")).isZero();
        Optional<Mqtt5Publish> got = seen.receive(10, TimeUnit.SECONDS);
        assertThat(got).hasValueSatisfying(p -> assertThat(text(p)).isEqualTo("21"));
        assertThat(mosquittoPub(port, "device-1", "wrong", "devices/device-1/temp", "22"))
            .isNotZero();
        // Outside the grant: PUBACK 0x87 (mosquitto_pub 2.0 exits 0 all the same), not delivered.
        mosquittoPub(port, "device-1", "pw-1", "devices/device-2/temp", "23");
        assertThat(mosquittoPub(port, "device-1", "pw-1", "devices/device-1/temp", "24")).isZero();
        assertThat(seen.receive(10, TimeUnit.SECONDS))
            .hasValueSatisfying(p -> assertThat(text(p)).isEqualTo("24"));
      }

      // Anonymous clients are refused.
      assertThatThrownBy(() -> client("nobody", port, null, null))
          .isInstanceOfSatisfying(
              Mqtt5ConnAckException.class,
              e ->
                  assertThat(e.getMqttMessage().getReasonCode())
                      .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));

      // The state store writes whatever the rules say; only granted devices see the key.
      Path socket = dir.resolve("sockets").resolve("secured.sock");
      sidecar.awaitLine(
          Pattern.compile("socket listening on " + Pattern.quote(socket.toString())), START);
      try (FakeDaprd daprd = new FakeDaprd(socket)) {
        daprd.initState(ComponentYaml.read(ComponentYaml.FOLDER.resolve("statestore.yaml")));
        daprd
            .state("mqtt-state")
            .set(
                State.SetRequest.newBuilder()
                    .setKey("app||setpoint")
                    .setValue(ByteString.copyFromUtf8("42"))
                    .build());
      }
      Mqtt5BlockingClient device = client("device-1", port, "device-1", "pw-1");
      assertThatThrownBy(
              () ->
                  device
                      .subscribeWith()
                      .topicFilter("$dapr/state/#")
                      .qos(MqttQos.AT_LEAST_ONCE)
                      .send())
          .isInstanceOfSatisfying(
              Mqtt5SubAckException.class,
              e ->
                  assertThat(e.getMqttMessage().getReasonCodes())
                      .containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED));
      assertThatThrownBy(
              () ->
                  device
                      .publishWith()
                      .topic("$dapr/state/mqtt-state/app||setpoint")
                      .payload("0".getBytes(StandardCharsets.UTF_8))
                      .qos(MqttQos.AT_LEAST_ONCE)
                      .retain(true)
                      .send())
          .isInstanceOfSatisfying(
              Mqtt5PubAckException.class,
              e ->
                  assertThat(e.getMqttMessage().getReasonCode())
                      .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
      try (Mqtt5BlockingClient.Mqtt5Publishes state =
          operator.publishes(MqttGlobalPublishFilter.ALL)) {
        operator.subscribeWith().topicFilter("$dapr/state/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Optional<Mqtt5Publish> value = state.receive(10, TimeUnit.SECONDS);
        assertThat(value).hasValueSatisfying(p -> assertThat(text(p)).isEqualTo("42"));
      }
      device.disconnect();
      operator.disconnect();
    }
  }

  @Test
  void devicesWithClientCertificatesGetTheTopicsOfTheirName() throws Exception {
    assumeTrue(Files.isExecutable(MOSQUITTO_PUB), "mosquitto-clients is installed by .ci/run");
    TestPki pki = TestPki.create(Files.createDirectory(dir.resolve("pki")));
    Listener.Tls tls = pki.serverTls(true);
    Path config =
        Files.writeString(
            dir.resolve("mqtt-sidecar.yaml"),
            """
            socket: { folder: sockets, name: certificates }
            storage: { durability: memory }
            listeners:
              - name: devices
                host: 127.0.0.1
                port: 0
                tls: { cert: %s, key: %s, clientCa: %s, requireClientCert: true }
            authentication: { anonymous: false }
            authorization:
              rules:
                - match: { certCommonName: "*" }
                  publish: ["devices/${client.certCommonName}/#"]
                  subscribe: ["devices/${client.certCommonName}/#"]
            """
                .formatted(tls.cert(), tls.key(), tls.clientCa()));
    try (SidecarProcess sidecar = SidecarProcess.launch(List.of("--config", config.toString()))) {
      int port = sidecar.mqttPort();
      TestPki.Credential device = pki.device1(); // CN device-1
      // Retained, so the subscriber that comes next receives it whenever it subscribes.
      assertThat(
              finish(
                  mosquitto(
                      "pub",
                      "mosquitto_pub",
                      port,
                      with(tls(pki, device), "-t", "devices/device-1/temp", "-m", "21", "-r"))))
          .isZero();
      assertThat(
              finish(
                  mosquitto(
                      "sub",
                      "mosquitto_sub",
                      port,
                      with(tls(pki, device), "-t", "devices/device-1/#", "-C", "1", "-W", "20"))))
          .isZero();
      assertThat(Files.readString(dir.resolve("sub.log")).strip()).isEqualTo("21");

      // Another device's topics are outside the grant; a certificate from another CA is refused.
      // mosquitto_sub 2.0 ends with exit code 0 when its only filter is refused.
      finish(
          mosquitto(
              "other",
              "mosquitto_sub",
              port,
              with(tls(pki, device), "-t", "devices/device-2/#", "-C", "1", "-W", "5")));
      assertThat(Files.readString(dir.resolve("other.log"))).contains("denied");
      assertThat(
              finish(
                  mosquitto(
                      "foreign",
                      "mosquitto_pub",
                      port,
                      with(tls(pki, pki.foreignClient()), "-t", "devices/x/y", "-m", "0"))))
          .isNotZero();
    }
  }

  private static List<String> with(List<String> options, String... more) {
    List<String> all = new ArrayList<>(options);
    all.addAll(List.of(more));
    return all;
  }

  /** TLS options of a mosquitto client presenting {@code client}'s certificate. */
  private static List<String> tls(TestPki pki, TestPki.Credential client) {
    return List.of(
        "--cafile", pki.ca().cert().toString(),
        "--cert", client.cert().toString(),
        "--key", client.key().toString());
  }

  /**
   * Starts a mosquitto client at QoS 1 over MQTT 5 against the sidecar, with {@code options} after
   * the common ones; its output goes to {@code <log>.log}.
   */
  private Process mosquitto(String log, String exe, int port, List<String> options)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of("/usr/bin/" + exe, "-h", "127.0.0.1", "-p", String.valueOf(port), "-V", "mqttv5"));
    command.addAll(List.of("-q", "1"));
    command.addAll(options);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(log + ".log").toFile())
        .start();
  }

  private static int finish(Process p) throws Exception {
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("mosquitto client did not finish within 30 s");
    }
    return p.exitValue();
  }

  private static Mqtt5BlockingClient client(String id, int port, String user, String password) {
    var builder = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port);
    Mqtt5BlockingClient c = builder.buildBlocking();
    if (user == null) {
      c.connect();
    } else {
      c.connectWith()
          .simpleAuth()
          .username(user)
          .password(password.getBytes(StandardCharsets.UTF_8))
          .applySimpleAuth()
          .send();
    }
    return c;
  }

  private static String text(Mqtt5Publish p) {
    return new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
  }

  /** mosquitto_pub with a user name and password; its exit code. */
  private int mosquittoPub(int port, String user, String password, String topic, String message)
      throws Exception {
    return finish(
        mosquitto(
            "pub",
            "mosquitto_pub",
            port,
            List.of("-u", user, "-P", password, "-t", topic, "-m", message)));
  }
}
