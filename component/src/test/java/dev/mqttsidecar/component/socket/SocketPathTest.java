package dev.mqttsidecar.component.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SocketPathTest {

  @Test
  void theSocketIsNamedAfterTheComponentInItsFolder() {
    SocketPath path = new SocketPath(Path.of("/tmp/sockets"), "factory");
    assertThat(path.socket()).isEqualTo(Path.of("/tmp/sockets/factory.sock"));
    assertThat(path.lockFile()).isEqualTo(Path.of("/tmp/sockets/.mqtt-sidecar-locks/factory.lock"));
  }

  @Test
  void aPathOf107BytesIsAcceptedAnd108IsRejected() {
    // "/" + folder + "/" + name + ".sock"
    String folder = "/" + "f".repeat(50);
    String name107 = "n".repeat(107 - folder.length() - 1 - ".sock".length());
    assertThat(new SocketPath(Path.of(folder), name107).socket().toString()).hasSize(107);
    assertThatThrownBy(() -> new SocketPath(Path.of(folder), name107 + "n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is 108 bytes")
        .hasMessageContaining("limited to 107 bytes");
  }

  @Test
  void multiByteCharactersCountAsBytes() {
    String folder = "/" + "f".repeat(50);
    String name = "é".repeat(30); // 60 bytes, 30 chars
    assertThatThrownBy(() -> new SocketPath(Path.of(folder), name))
        .hasMessageContaining("is 117 bytes");
  }

  @Test
  void namesThatAreNotASingleFileNameAreRejected() {
    for (String bad : new String[] {"", "a/b", ".hidden"}) {
      assertThatThrownBy(() -> new SocketPath(Path.of("/tmp"), bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("invalid component name");
    }
  }

  @Test
  void theFolderComesFromTheOptionThenTheEnvironmentThenDaprsDefault() {
    assertThat(SocketPath.resolveFolder(Path.of("/opt"), "/env")).isEqualTo(Path.of("/opt"));
    assertThat(SocketPath.resolveFolder(null, "/env")).isEqualTo(Path.of("/env"));
    assertThat(SocketPath.resolveFolder(null, " "))
        .isEqualTo(Path.of("/tmp/dapr-components-sockets"));
    assertThat(SocketPath.resolveFolder(null, null))
        .isEqualTo(Path.of("/tmp/dapr-components-sockets"));
  }

  @Test
  void relativeFoldersAreMadeAbsolute() {
    assertThat(new SocketPath(Path.of("sockets"), "x").socket()).isAbsolute();
  }

  @Test
  void theEnvironmentNamesTheFolderThroughDaprdsVariableElseTheInjectors() {
    Map<String, String> both =
        Map.of(
            "DAPR_COMPONENTS_SOCKETS_FOLDER",
            "/daprd",
            "DAPR_COMPONENT_SOCKETS_FOLDER",
            "/injector");
    assertThat(SocketPath.folderFromEnvironment(both::get)).isEqualTo("/daprd");
    Map<String, String> injector = Map.of("DAPR_COMPONENT_SOCKETS_FOLDER", "/injector");
    assertThat(SocketPath.folderFromEnvironment(injector::get)).isEqualTo("/injector");
    assertThat(SocketPath.folderFromEnvironment(Map.<String, String>of()::get)).isNull();
  }
}
