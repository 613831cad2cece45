package dev.mqttsidecar.component.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.component.testing.HttpCalls;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import dev.mqttsidecar.component.testing.SecuredBroker;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP publish under the broker's password file and authorization rules: the same users, the same
 * rules (with {@code ${client.username}} and the {@code http-} client id), the same failed-login
 * limit as MQTT.
 */
class HttpPublishAuthorizationTest {
  @TempDir Path folder;
  private InProcessSidecar sidecar;
  private URI http;

  @BeforeEach
  void start() throws Exception {
    BrokerConfig config =
        SecuredBroker.builder()
            .user("device-1", "pw-1")
            .user("operator", "op-pw")
            .allow(null, "operator", List.of("#"), List.of("#"))
            .allow("http-device-*", "device-*", List.of("devices/${client.username}/#"), List.of())
            .config(folder);
    sidecar = InProcessSidecar.start(folder, config);
    http = sidecar.httpUri();
  }

  @AfterEach
  void stop() throws Exception {
    sidecar.close();
  }

  private HttpResponse<String> publish(String topic, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(http.resolve("/topics/" + topic))
            .POST(HttpRequest.BodyPublishers.ofString("21"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HttpCalls.send(request);
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aDevicePublishesToItsOwnTopicsOnlyAndTheOperatorSeesIt() throws Exception {
    Mqtt5BlockingClient operator =
        Mqtt5Client.builder()
            .identifier("operator-console")
            .serverHost("127.0.0.1")
            .serverPort(sidecar.mqttPort())
            .buildBlocking();
    operator
        .connectWith()
        .simpleAuth()
        .username("operator")
        .password("op-pw".getBytes(StandardCharsets.UTF_8))
        .applySimpleAuth()
        .send();
    try (Mqtt5BlockingClient.Mqtt5Publishes seen =
        operator.publishes(MqttGlobalPublishFilter.ALL)) {
      operator.subscribeWith().topicFilter("devices/#").qos(MqttQos.AT_LEAST_ONCE).send();

      assertThat(publish("devices/device-1/temp", basic("device-1", "pw-1")).statusCode())
          .isEqualTo(200);
      assertThat(seen.receive(10, TimeUnit.SECONDS).orElseThrow().getTopic().toString())
          .isEqualTo("devices/device-1/temp");

      HttpResponse<String> elsewhere = publish("devices/device-2/temp", basic("device-1", "pw-1"));
      assertThat(elsewhere.statusCode()).isEqualTo(403);
      assertThat(elsewhere.body())
          .isEqualTo("http-device-1 may not publish to devices/device-2/temp\n");
      assertThat(seen.receive(200, TimeUnit.MILLISECONDS)).isEmpty();
    } finally {
      operator.disconnect();
    }
  }

  @Test
  void noOrWrongCredentialsAre401WithAChallenge() throws Exception {
    for (String authorization :
        new String[] {
          null, basic("device-1", "wrong"), basic("nobody", "x"), "Basic !!", "Digest abc"
        }) {
      HttpResponse<String> answer = publish("devices/device-1/temp", authorization);
      assertThat(answer.statusCode()).as("%s", authorization).isEqualTo(401);
      assertThat(answer.headers().firstValue("www-authenticate"))
          .hasValue(HttpCredentials.CHALLENGE);
    }
  }

  @Test
  void afterRepeatedFailedLoginsTheAddressIsRefusedWith429EvenWithTheRightPassword()
      throws Exception {
    int status = 0;
    for (int attempt = 0; attempt < 20 && status != 429; attempt++) {
      status = publish("devices/device-1/temp", basic("device-1", "wrong")).statusCode();
    }

    assertThat(status).isEqualTo(429);
    assertThat(publish("devices/device-1/temp", basic("device-1", "pw-1")).statusCode())
        .isEqualTo(429);
  }
}
