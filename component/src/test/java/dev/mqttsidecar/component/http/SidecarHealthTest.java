package dev.mqttsidecar.component.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.component.testing.HttpCalls;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probes of a started sidecar, over HTTP. */
class SidecarHealthTest {
  @TempDir Path folder;

  @Test
  void aStartedSidecarIsAliveAndReady() throws Exception {
    try (InProcessSidecar sidecar = InProcessSidecar.start(folder)) {
      HttpResponse<String> alive = HttpCalls.get(sidecar.httpUri(), "/healthz");
      HttpResponse<String> ready = HttpCalls.get(sidecar.httpUri(), "/readyz");

      assertThat(alive.statusCode()).isEqualTo(200);
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("ready\n");
    }
  }
}
