package dev.mqttsidecar.component.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.testing.TestPki;
import dev.mqttsidecar.component.testing.HttpCalls;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP server with {@code http.tls}: HTTPS with the configured certificate, no plain HTTP. */
class HttpsTest {
  @TempDir Path folder;
  @TempDir Path pkiDir;

  @Test
  void theProbesAnswerOverHttpsWithTheConfiguredCertificate() throws Exception {
    TestPki pki = TestPki.create(pkiDir);
    HttpSettings https =
        new HttpSettings(
            true,
            "127.0.0.1",
            0,
            HttpSettings.DEFAULT_MAX_REQUEST_BODY,
            new HttpSettings.Tls(pki.server().cert(), pki.server().key()));
    try (InProcessSidecar sidecar =
        InProcessSidecar.start(folder, BrokerConfig.builder().port(0).build(), https)) {
      int port = sidecar.sidecar().httpAddress().getPort();
      HttpClient client =
          HttpClient.newBuilder()
              .sslContext(pki.sslContext(null))
              .connectTimeout(Duration.ofSeconds(10))
              .build();

      HttpResponse<String> ready =
          client.send(
              HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/readyz"))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(ready.statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> HttpCalls.get(URI.create("http://127.0.0.1:" + port), "/readyz"))
          .isInstanceOf(IOException.class);
    }
  }
}
