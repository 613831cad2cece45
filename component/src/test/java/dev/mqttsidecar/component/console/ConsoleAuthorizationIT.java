package dev.mqttsidecar.component.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.component.testing.HttpCalls;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import dev.mqttsidecar.component.testing.SecuredBroker;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console behind the broker's own users and rules: no page without credentials, and each
 * identity sees and changes only what its MQTT permissions allow.
 */
class ConsoleAuthorizationIT {
  @TempDir Path folder;
  private InProcessSidecar sidecar;
  private URI console;

  @BeforeEach
  void start() throws Exception {
    BrokerConfig config =
        SecuredBroker.builder()
            .user("device-1", "pw-1")
            .user("operator", "op-pw")
            .allow(null, "operator", List.of("#"), List.of("#", "$SYS/#"))
            .allow(
                null,
                "device-*",
                List.of("devices/${client.username}/#"),
                List.of("devices/${client.username}/#"))
            .config(folder);
    sidecar = InProcessSidecar.start(folder, config);
    console = sidecar.httpUri().resolve("/console/");
  }

  @AfterEach
  void stop() throws Exception {
    sidecar.close();
  }

  @Test
  void withoutCredentialsThereIsNoPageAndTheBrowserIsAskedForThem() throws Exception {
    HttpResponse<String> page = send("GET", "", null, null);
    assertThat(page.statusCode()).isEqualTo(401);
    assertThat(page.headers().firstValue("WWW-Authenticate").orElse("")).contains("Basic");
    assertThat(send("GET", "api/sessions", null, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "api/sessions", "operator:wrong", null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "", "operator:op-pw", null).statusCode()).isEqualTo(200);
  }

  @Test
  void sessionsAndStatisticsAreForWhoMayRead$Sys() throws Exception {
    assertThat(send("GET", "api/sessions", "operator:op-pw", null).statusCode()).isEqualTo(200);
    HttpResponse<String> device = send("GET", "api/stats", "device-1:pw-1", null);
    assertThat(device.statusCode()).isEqualTo(403);
    assertThat(device.body()).contains("http-device-1 may not subscribe to $SYS/#");
  }

  @Test
  void publishesAndEditsAreCheckedAsTheIdentitysPublishes() throws Exception {
    String own = "{\"topic\":\"devices/device-1/cmd\",\"payload\":\"on\"}";
    String other = "{\"topic\":\"devices/device-2/cmd\",\"payload\":\"on\"}";
    assertThat(send("POST", "api/publish", "device-1:pw-1", own).statusCode()).isEqualTo(200);
    assertThat(send("POST", "api/publish", "device-1:pw-1", other).statusCode()).isEqualTo(403);
    assertThat(
            send("PUT", "api/retained?topic=devices/device-2/x", "device-1:pw-1", "{}")
                .statusCode())
        .isEqualTo(403);
    assertThat(sidecar.sidecar().broker().retained().get("devices/device-2/x")).isEmpty();
    assertThat(
            send("PUT", "api/retained?topic=devices/device-1/x", "device-1:pw-1", "{}")
                .statusCode())
        .isEqualTo(200);
    // The state store's topics are not the device's.
    assertThat(
            send("PUT", "api/state?store=s&key=k", "device-1:pw-1", "{\"value\":\"v\"}")
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void theLiveViewSubscribesWithTheIdentitysPermissions() throws Exception {
    HttpResponse<String> refused =
        send("GET", "api/live?filter=" + enc("#"), "device-1:pw-1", null);
    assertThat(refused.body())
        .contains("event: refused")
        .contains("http-device-1 may not subscribe to #");
    assertThat(
            send("GET", "api/retained?prefix=devices/device-2/", "device-1:pw-1", null)
                .statusCode())
        .isEqualTo(403);
  }

  private HttpResponse<String> send(String method, String path, String user, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(console.resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (user != null) {
      request.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
    }
    return HttpCalls.send(request);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
