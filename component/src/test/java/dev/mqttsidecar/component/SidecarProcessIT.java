package dev.mqttsidecar.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dapr.proto.components.v1.Pubsub;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.SidecarProcess;
import io.dapr.v1.ComponentProtos;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar program as daprd and users meet it: a separate process and its Unix socket. */
class SidecarProcessIT {
  private static final Duration EXIT = Duration.ofSeconds(30);

  @TempDir Path folder;

  @Test
  void daprdDiscoversPubSubAndStateStoreThroughReflectionV1alpha() throws Exception {
    try (SidecarProcess sidecar = SidecarProcess.start(folder, "mqtt-sidecar");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("mqtt-sidecar.sock"))) {
      assertThat(daprd.listServices())
          .contains(
              "dapr.proto.components.v1.PubSub",
              "dapr.proto.components.v1.StateStore",
              "dapr.proto.components.v1.TransactionalStateStore",
              "dapr.proto.components.v1.QueriableStateStore",
              "dapr.proto.components.v1.TransactionalStoreMultiMaxSize",
              "grpc.health.v1.Health");
    }
  }

  @Test
  void twoInstancesOfEachKindInitialiseFromTheComponentYamlAndAnswerIndependently()
      throws Exception {
    ComponentYaml pubsub = ComponentYaml.read(ComponentYaml.FOLDER.resolve("pubsub.yaml"));
    ComponentYaml state = ComponentYaml.read(ComponentYaml.FOLDER.resolve("statestore.yaml"));
    assertThat(pubsub.type()).isEqualTo("pubsub.mqtt-sidecar");
    assertThat(state.type()).isEqualTo("state.mqtt-sidecar");
    try (SidecarProcess sidecar = SidecarProcess.start(folder, "mqtt-sidecar");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("mqtt-sidecar.sock"))) {
      for (ComponentYaml component : List.of(pubsub, pubsub.withName("second-pubsub"))) {
        assertThat(daprd.initPubSub(component)).contains("SUBSCRIBE_WILDCARDS");
        daprd.pubSub(component.name()).ping(ComponentProtos.PingRequest.getDefaultInstance());
      }
      for (ComponentYaml component : List.of(state, state.withName("second-state"))) {
        assertThat(daprd.initState(component)).contains("ETAG", "TRANSACTIONAL");
        daprd.state(component.name()).ping(ComponentProtos.PingRequest.getDefaultInstance());
      }
    }
  }

  @Test
  void callsForAnInstanceThatWasNeverInitialisedFailWithFailedPrecondition() throws Exception {
    try (SidecarProcess sidecar = SidecarProcess.start(folder, "mqtt-sidecar");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("mqtt-sidecar.sock"))) {
      assertThatThrownBy(
              () ->
                  daprd
                      .pubSub("nobody")
                      .features(ComponentProtos.FeaturesRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(e.getStatus().getDescription())
                    .contains("'nobody'")
                    .contains("not initialised");
              });
      assertThatThrownBy(
              () -> daprd.state("nobody").get(State.GetRequest.newBuilder().setKey("k").build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
      assertThatThrownBy(
              () ->
                  daprd
                      .pubSub("nobody")
                      .publish(Pubsub.PublishRequest.newBuilder().setTopic("t").build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    }
  }

  @Test
  void aSecondSidecarOnTheSameSocketIsRefusedAndTheFirstKeepsServing() throws Exception {
    try (SidecarProcess first = SidecarProcess.start(folder, "shared");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("shared.sock"))) {
      try (SidecarProcess second =
          SidecarProcess.launch(
              List.of(
                  "--socket-folder", folder.toString(), "--name", "shared", "--mqtt-port", "0"))) {
        assertThat(second.awaitExit(EXIT)).isEqualTo(1);
        assertThat(second.output())
            .contains("another mqtt-sidecar (pid " + first.pid() + ") is serving");
      }
      assertThat(daprd.listServices()).contains("dapr.proto.components.v1.PubSub");
    }
  }

  @Test
  void aStaleSocketFileLeftByADeadProcessIsReplaced() throws Exception {
    Path socket = folder.resolve("stale.sock");
    try (ServerSocketChannel leftover = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      leftover.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(socket).exists();
    try (SidecarProcess sidecar = SidecarProcess.start(folder, "stale");
        FakeDaprd daprd = new FakeDaprd(socket)) {
      assertThat(sidecar.output()).contains("Removed stale socket " + socket);
      assertThat(daprd.listServices()).contains("dapr.proto.components.v1.StateStore");
    }
  }

  @Test
  void aSocketLeftByAKilledSidecarIsReusedOnRestart() throws Exception {
    SidecarProcess killed = SidecarProcess.start(folder, "restart");
    killed.kill();
    assertThat(folder.resolve("restart.sock")).exists();
    try (SidecarProcess sidecar = SidecarProcess.start(folder, "restart");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("restart.sock"))) {
      assertThat(daprd.listServices()).contains("dapr.proto.components.v1.PubSub");
    }
  }

  @Test
  void aSocketPathLongerThanTheKernelLimitIsRejected() throws Exception {
    Path deep = folder.resolve("d".repeat(60)).resolve("e".repeat(60));
    try (SidecarProcess sidecar =
        SidecarProcess.launch(List.of("--socket-folder", deep.toString(), "--mqtt-port", "0"))) {
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(2);
      assertThat(sidecar.output()).contains("limited to 107 bytes").contains(deep.toString());
    }
    assertThat(deep).doesNotExist();
  }

  @Test
  void sigtermStopsCleanlyAndRemovesTheSocket() throws Exception {
    Path socket = folder.resolve("term.sock");
    SidecarProcess sidecar = SidecarProcess.start(folder, "term");
    assertThat(socket).exists();
    sidecar.terminate();
    assertThat(sidecar.awaitExit(EXIT)).isIn(0, 143);
    assertThat(socket).doesNotExist();
    assertThat(sidecar.output()).contains("Stopped; removed " + socket);
  }

  @Test
  void theSocketFolderComesFromTheDaprEnvironmentVariableWhenNotGiven() throws Exception {
    Path envFolder = folder.resolve("from-env");
    try (SidecarProcess sidecar =
        SidecarProcess.launch(
            List.of("--mqtt-port", "0"),
            Map.of("DAPR_COMPONENTS_SOCKETS_FOLDER", envFolder.toString()))) {
      sidecar.awaitLine(
          Pattern.compile(
              "socket listening on "
                  + Pattern.quote(envFolder.resolve("mqtt-sidecar.sock").toString())),
          EXIT);
      assertThat(envFolder.resolve("mqtt-sidecar.sock")).exists();
    }
  }

  @Test
  void onKubernetesTheSocketGoesWhereTheDaprInjectorMountedTheSharedVolume() throws Exception {
    // The injector names the mount in DAPR_COMPONENT_SOCKETS_FOLDER (no S after COMPONENT).
    Path mount = folder.resolve("injected");
    try (SidecarProcess sidecar =
        SidecarProcess.launch(
            List.of("--mqtt-port", "0"),
            Map.of("DAPR_COMPONENT_SOCKETS_FOLDER", mount.toString()))) {
      sidecar.awaitLine(
          Pattern.compile(
              "socket listening on "
                  + Pattern.quote(mount.resolve("mqtt-sidecar.sock").toString())),
          EXIT);
    }
  }

  @Test
  void startupPrintsTheSocketAndTheMqttPortAndBothAcceptConnections() throws Exception {
    try (SidecarProcess sidecar = SidecarProcess.start(folder, "mqtt-sidecar");
        FakeDaprd daprd = new FakeDaprd(folder.resolve("mqtt-sidecar.sock"))) {
      int port = sidecar.mqttPort();
      assertThat(port).isPositive();
      try (Socket mqtt = new Socket("127.0.0.1", port)) {
        assertThat(mqtt.isConnected()).isTrue();
      }
      assertThat(daprd.listServices()).isNotEmpty();
    }
  }

  @Test
  void theReadmeRunCommandServesTheSocketAndMqttAndSaysWhere() throws Exception {
    Path launcher = Path.of("..", "bin", "mqtt-sidecar");
    assertThat(Files.isExecutable(launcher)).isTrue();
    Map<String, String> env = Map.of("JAVA_OPTS", "-Xmx256m", "PATH", System.getenv("PATH"));
    try (SidecarProcess sidecar =
        SidecarProcess.launchCommand(
            List.of(launcher.toString(), "--socket-folder", folder.toString(), "--mqtt-port", "0"),
            env)) {
      Path socket = folder.resolve("mqtt-sidecar.sock");
      sidecar.awaitLine(
          Pattern.compile("socket listening on " + Pattern.quote(socket.toString())),
          Duration.ofMinutes(3));
      try (Socket mqtt = new Socket("127.0.0.1", sidecar.mqttPort());
          FakeDaprd daprd = new FakeDaprd(socket)) {
        assertThat(mqtt.isConnected()).isTrue();
        assertThat(daprd.listServices()).contains("dapr.proto.components.v1.PubSub");
      }
    }
  }

  @Test
  void aBadOptionGivesAClearMessageAndExitCode2() throws Exception {
    try (SidecarProcess sidecar = SidecarProcess.launch(List.of("--mqtt-port", "not-a-number"))) {
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(2);
      assertThat(sidecar.output())
          .contains("--mqtt-port")
          .contains("not-a-number")
          .contains("Usage:");
    }
    try (SidecarProcess sidecar = SidecarProcess.launch(List.of("--no-such-option"))) {
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(2);
      assertThat(sidecar.output()).contains("Unknown option: '--no-such-option'");
    }
    try (SidecarProcess sidecar = SidecarProcess.launch(List.of("--mqtt-port", "70000"))) {
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(2);
      assertThat(sidecar.output()).contains("port must be in [0, 65535], was 70000");
    }
  }

  @Test
  void helpAndVersionExitZero() throws Exception {
    try (SidecarProcess sidecar = SidecarProcess.launch(List.of("--help"))) {
      assertThat(sidecar.awaitExit(EXIT)).isZero();
      assertThat(sidecar.output())
          .contains("--socket-folder")
          .contains("--mqtt-port")
          .contains("--name");
    }
    try (SidecarProcess sidecar = SidecarProcess.launch(List.of("--version"))) {
      assertThat(sidecar.awaitExit(EXIT)).isZero();
      assertThat(sidecar.output()).startsWith("mqtt-sidecar 0.1.0");
    }
  }

  @Test
  void aMissingSocketFolderIsCreated() throws Exception {
    Path fresh = folder.resolve("new").resolve("folder");
    try (SidecarProcess sidecar = SidecarProcess.start(fresh, "x")) {
      assertThat(Files.isDirectory(fresh)).isTrue();
      assertThat(fresh.resolve("x.sock")).exists();
    }
  }
}
