package dev.mqttsidecar.component;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dapr.proto.components.v1.State;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.FakeDaprd;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar's data directory and durability options, as an operator meets them. */
class DurabilityCliIT {
  private static final Duration EXIT = Duration.ofSeconds(30);
  private static final String STORE = "mqtt-state";

  @TempDir Path folder;

  private static ComponentYaml stateYaml() throws Exception {
    return ComponentYaml.read(ComponentYaml.FOLDER.resolve("statestore.yaml"));
  }

  private static void set(FakeDaprd daprd, String key, String value) {
    daprd
        .state(STORE)
        .set(
            State.SetRequest.newBuilder()
                .setKey(key)
                .setValue(ByteString.copyFromUtf8(value))
                .build());
  }

  private static String get(FakeDaprd daprd, String key) {
    return daprd
        .state(STORE)
        .get(State.GetRequest.newBuilder().setKey(key).build())
        .getData()
        .toStringUtf8();
  }

  @Test
  void stateWrittenBeforeARestartIsReadAfterItAndTheDataDirectoryIsPrinted() throws Exception {
    Path data = folder.resolve("data");
    try (SidecarProcess sidecar = SidecarProcess.start(folder, "s", "--data-dir", data.toString());
        FakeDaprd daprd = new FakeDaprd(folder.resolve("s.sock"))) {
      sidecar.awaitLine(
          Pattern.compile("data directory: " + Pattern.quote(data.toAbsolutePath().toString())),
          Duration.ofSeconds(5));
      daprd.initState(stateYaml());
      set(daprd, "app||a", "one");
      set(daprd, "app||b", "two");
      sidecar.terminate();
      assertThat(sidecar.awaitExit(EXIT)).isIn(0, 143); // 143: the JVM ends on SIGTERM
    }
    try (SidecarProcess sidecar = SidecarProcess.start(folder, "s", "--data-dir", data.toString());
        FakeDaprd daprd = new FakeDaprd(folder.resolve("s.sock"))) {
      daprd.initState(stateYaml());
      assertThat(get(daprd, "app||a")).isEqualTo("one");
      assertThat(get(daprd, "app||b")).isEqualTo("two");
    }
  }

  @Test
  void aCorruptStoreStopsStartupWithOneLineNamingTheDirectory() throws Exception {
    Path data = folder.resolve("data");
    try (SidecarProcess sidecar = SidecarProcess.start(folder, "s", "--data-dir", data.toString());
        FakeDaprd daprd = new FakeDaprd(folder.resolve("s.sock"))) {
      daprd.initState(stateYaml());
      set(daprd, "app||a", "one");
    }
    Files.writeString(data.resolve("CURRENT"), "\u0001\u0002garbage");
    try (SidecarProcess sidecar =
        SidecarProcess.launch(
            List.of(
                "--socket-folder",
                folder.toString(),
                "--name",
                "s",
                "--mqtt-port",
                "0",
                "--data-dir",
                data.toString()))) {
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(1);
      String output = sidecar.output();
      assertThat(output)
          .contains("mqtt-sidecar: ")
          .contains(data.toAbsolutePath().toString())
          .doesNotContain("\tat ")
          .doesNotContain("socket listening on");
    }
    assertThat(Files.readString(data.resolve("CURRENT"))).isEqualTo("\u0001\u0002garbage");
  }

  @Test
  void memoryModeWritesNothingAndForgetsOnRestart() throws Exception {
    Path data = folder.resolve("data");
    for (int run = 0; run < 2; run++) {
      try (SidecarProcess sidecar =
              SidecarProcess.start(
                  folder, "s", "--data-dir", data.toString(), "--durability", "memory");
          FakeDaprd daprd = new FakeDaprd(folder.resolve("s.sock"))) {
        sidecar.awaitLine(Pattern.compile("in memory only"), Duration.ofSeconds(5));
        daprd.initState(stateYaml());
        assertThat(get(daprd, "app||a")).isEmpty();
        set(daprd, "app||a", "one");
      }
    }
    assertThat(data).doesNotExist();
  }

  @Test
  void anUnknownDurabilityIsAUsageError() throws Exception {
    try (SidecarProcess sidecar = SidecarProcess.launch(List.of("--durability", "sometimes"))) {
      assertThat(sidecar.awaitExit(EXIT)).isEqualTo(2);
      assertThat(sidecar.output()).contains("durability must be fsync, periodic or memory");
    }
  }
}
