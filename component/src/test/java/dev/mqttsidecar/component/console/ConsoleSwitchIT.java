package dev.mqttsidecar.component.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.component.Sidecar;
import dev.mqttsidecar.component.config.SidecarSettings;
import dev.mqttsidecar.component.http.HttpSettings;
import dev.mqttsidecar.component.socket.SocketPath;
import dev.mqttsidecar.component.testing.HttpCalls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code http.console: false} leaves the console out while the rest of the HTTP server runs. */
class ConsoleSwitchIT {
  @TempDir Path folder;

  @Test
  void aSwitchedOffConsoleIsNotServed() throws Exception {
    SidecarSettings settings =
        SidecarSettings.of(
                new SocketPath(folder, "console-off"),
                BrokerConfig.builder().port(0).durability(Durability.MEMORY).build(),
                Duration.ofSeconds(2))
            .withHttp(HttpSettings.anyFreePort().withConsole(false));
    try (Sidecar sidecar = new Sidecar(settings)) {
      sidecar.start();
      URI http = URI.create("http://127.0.0.1:" + sidecar.httpAddress().getPort());
      assertThat(HttpCalls.get(http, "/healthz").statusCode()).isEqualTo(200);
      assertThat(HttpCalls.get(http, "/console/").statusCode()).isEqualTo(404);
      assertThat(HttpCalls.get(http, "/console/api/stats").statusCode()).isEqualTo(404);
    }
  }
}
