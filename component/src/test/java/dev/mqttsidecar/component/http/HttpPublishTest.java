package dev.mqttsidecar.component.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.component.pubsub.Devices;
import dev.mqttsidecar.component.testing.HttpCalls;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /topics/{topic}} through a real HTTP client, seen by a real MQTT 5 subscriber. */
class HttpPublishTest {
  private static final int MAX_PACKET = 4096;

  @TempDir Path folder;
  private InProcessSidecar sidecar;
  private URI http;

  @BeforeEach
  void start() throws Exception {
    sidecar =
        InProcessSidecar.start(
            folder, BrokerConfig.builder().port(0).maxPacketSize(MAX_PACKET).build());
    http = sidecar.httpUri();
  }

  @AfterEach
  void stop() throws Exception {
    sidecar.close();
  }

  private static HttpResponse<String> post(URI base, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return HttpCalls.send(request);
  }

  @Test
  void aQos1PublishWithPropertiesReachesASubscriberAndIsRetained() throws Exception {
    Mqtt5BlockingClient device = Devices.mqtt5(sidecar.mqttPort());
    try (Mqtt5BlockingClient.Mqtt5Publishes seen = device.publishes(MqttGlobalPublishFilter.ALL)) {
      device.subscribeWith().topicFilter("plant/#").qos(MqttQos.AT_LEAST_ONCE).send();

      HttpResponse<String> answer =
          post(
              http,
              "/topics/plant/line%201/temp?retain=true&contentType=application/json"
                  + "&userProperty=site:berlin&messageExpiry=3600",
              "{\"celsius\":21}",
              "mqtt-response-topic",
              "plant/replies",
              "mqtt-correlation-data",
              "AQID",
              "mqtt-user-property",
              "unit:celsius");

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("published to 1 subscription(s)\n");
      Optional<Mqtt5Publish> received = seen.receive(10, TimeUnit.SECONDS);
      assertThat(received).isPresent();
      Mqtt5Publish message = received.get();
      assertThat(message.getTopic().toString()).isEqualTo("plant/line 1/temp");
      assertThat(message.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      assertThat(new String(message.getPayloadAsBytes(), StandardCharsets.UTF_8))
          .isEqualTo("{\"celsius\":21}");
      assertThat(message.getContentType().map(Object::toString)).hasValue("application/json");
      assertThat(message.getResponseTopic().map(Object::toString)).hasValue("plant/replies");
      assertThat(message.getCorrelationData().map(b -> b.remaining())).hasValue(3);
      assertThat(message.getMessageExpiryInterval().getAsLong()).isBetween(3500L, 3600L);
      assertThat(message.getUserProperties().asList())
          .extracting(p -> p.getName() + "=" + p.getValue())
          .containsExactly("site=berlin", "unit=celsius");
    } finally {
      device.disconnect();
    }

    Mqtt5BlockingClient late = Devices.mqtt5(sidecar.mqttPort());
    try (Mqtt5BlockingClient.Mqtt5Publishes seen = late.publishes(MqttGlobalPublishFilter.ALL)) {
      late.subscribeWith().topicFilter("plant/#").qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5Publish retained = seen.receive(10, TimeUnit.SECONDS).orElseThrow();
      assertThat(retained.isRetain()).isTrue();
      assertThat(retained.getTopic().toString()).isEqualTo("plant/line 1/temp");
    } finally {
      late.disconnect();
    }
  }

  @Test
  void aQos0PublishIsAcceptedWith202() throws Exception {
    Mqtt5BlockingClient device = Devices.mqtt5(sidecar.mqttPort());
    try (Mqtt5BlockingClient.Mqtt5Publishes seen = device.publishes(MqttGlobalPublishFilter.ALL)) {
      device.subscribeWith().topicFilter("a/b").qos(MqttQos.AT_LEAST_ONCE).send();

      HttpResponse<String> answer = post(http, "/topics/a/b", "x", "mqtt-qos", "0");

      assertThat(answer.statusCode()).isEqualTo(202);
      assertThat(seen.receive(10, TimeUnit.SECONDS).orElseThrow().getQos())
          .isEqualTo(MqttQos.AT_MOST_ONCE);
    } finally {
      device.disconnect();
    }
  }

  @Test
  void badTopicsAndParametersAre400WithTheReason() throws Exception {
    assertThat(post(http, "/topics/", "x"))
        .extracting(HttpResponse::statusCode, HttpResponse::body)
        .containsExactly(400, "the topic is empty: POST /topics/{topic}\n");
    assertThat(post(http, "/topics/a/%2B/b", "x").body())
        .isEqualTo("a topic name must not contain the wildcards + and #\n");
    assertThat(post(http, "/topics/a/%23", "x").statusCode()).isEqualTo(400);
    assertThat(post(http, "/topics/%24SYS/broker/uptime", "x").body())
        .isEqualTo("topics starting with $ are reserved for the broker\n");
    assertThat(post(http, "/topics/a?qos=2", "x").body())
        .isEqualTo("qos must be 0 or 1, was '2'\n");
    assertThat(post(http, "/topics/a?retain=yes", "x").statusCode()).isEqualTo(400);
    assertThat(post(http, "/topics/a?messageExpiry=0", "x").statusCode()).isEqualTo(400);
    assertThat(post(http, "/topics/a?correlationData=%25%25", "x").statusCode()).isEqualTo(400);
    assertThat(post(http, "/topics/a?userProperty=novalue", "x").statusCode()).isEqualTo(400);
    assertThat(HttpCalls.get(http, "/topics/a").statusCode()).isEqualTo(405);
  }

  @Test
  void aPayloadOverTheBrokersLimitIs413() throws Exception {
    HttpResponse<String> answer = post(http, "/topics/big", "x".repeat(MAX_PACKET + 1));

    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(post(http, "/topics/small", "x").statusCode()).isEqualTo(200);
  }

  @Test
  void everyAnswerIsOneLineOfText() throws Exception {
    for (HttpResponse<String> answer :
        List.of(post(http, "/topics/a", "x"), post(http, "/topics/a?qos=9", "x"))) {
      assertThat(answer.headers().firstValue("content-type")).hasValue(HttpReply.TEXT);
      assertThat(answer.body()).endsWith("\n").doesNotContain("\n\n");
      assertThat(answer.body().indexOf('\n')).isEqualTo(answer.body().length() - 1);
    }
  }
}
