package dev.mqttsidecar.component.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dapr.proto.components.v1.State;
import dapr.proto.components.v1.StateStoreGrpc;
import dev.mqttsidecar.component.pubsub.Devices;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's JSON API and live stream over real HTTP, with real MQTT devices and Dapr calls. */
class ConsoleApiIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path folder;
  private InProcessSidecar sidecar;
  private URI console;
  private Mqtt5BlockingClient device;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

  @BeforeEach
  void start() throws Exception {
    sidecar = InProcessSidecar.start(folder);
    console = sidecar.httpUri().resolve("/console/");
    device = Devices.mqtt5(sidecar.mqttPort());
  }

  @AfterEach
  void stop() throws Exception {
    device.disconnect();
    sidecar.close();
  }

  @Test
  void retainedMessagesArePagedAndEditedWithTheirVersion() throws Exception {
    for (int i = 1; i <= 5; i++) {
      device
          .publishWith()
          .topic("plant/m" + i)
          .payload(bytes("v" + i))
          .retain(true)
          .qos(MqttQos.AT_LEAST_ONCE)
          .send();
    }
    device
        .publishWith()
        .topic("other/x")
        .payload(bytes("x"))
        .retain(true)
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();

    JsonNode first = get("retained?prefix=plant/&limit=2").json();
    assertThat(topics(first)).containsExactly("plant/m1", "plant/m2");
    assertThat(first.get("next").asText()).isEqualTo("plant/m2");
    JsonNode last = get("retained?prefix=plant/&limit=2&after=plant/m4").json();
    assertThat(topics(last)).containsExactly("plant/m5");
    assertThat(last.get("next").isNull()).isTrue();

    long version = first.get("items").get(0).get("version").asLong();
    Reply stale =
        send("PUT", "retained?topic=plant/m1&version=" + (version + 100), "{\"payload\":\"new\"}");
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.error()).contains("changed since version");
    assertThat(
            sidecar.sidecar().broker().retained().get("plant/m1").orElseThrow().message().payload())
        .isEqualTo(bytes("v1"));

    Reply saved =
        send("PUT", "retained?topic=plant/m1&version=" + version, "{\"payload\":\"new\"}");
    assertThat(saved.status()).isEqualTo(200);
    assertThat(
            sidecar.sidecar().broker().retained().get("plant/m1").orElseThrow().message().payload())
        .isEqualTo(bytes("new"));

    assertThat(send("DELETE", "retained?topic=plant/m2", null).status()).isEqualTo(200);
    assertThat(sidecar.sidecar().broker().retained().get("plant/m2")).isEmpty();
  }

  @Test
  void stateKeysShowTheirEtagAndAStaleEtagIsAConflict() throws Exception {
    ComponentYaml yaml = ComponentYaml.read(ComponentYaml.FOLDER.resolve("statestore.yaml"));
    sidecar.daprd().initState(yaml);
    StateStoreGrpc.StateStoreBlockingStub state = sidecar.daprd().state(yaml.name());
    state.set(
        State.SetRequest.newBuilder()
            .setKey("app||order-1")
            .setValue(ByteString.copyFromUtf8("{\"n\":1}"))
            .build());
    String etag =
        state
            .get(State.GetRequest.newBuilder().setKey("app||order-1").build())
            .getEtag()
            .getValue();

    JsonNode page = get("state?store=" + yaml.name() + "&prefix=" + enc("app||")).json();
    JsonNode item = page.get("items").get(0);
    assertThat(item.get("key").asText()).isEqualTo("app||order-1");
    assertThat(item.get("etag").asText()).isEqualTo(etag);

    // Someone else writes the key: the console's edit with the old ETag must not win.
    state.set(
        State.SetRequest.newBuilder()
            .setKey("app||order-1")
            .setValue(ByteString.copyFromUtf8("{\"n\":2}"))
            .build());
    String key = "store=" + yaml.name() + "&key=" + enc("app||order-1");
    Reply conflict = send("PUT", "state?" + key + "&etag=" + etag, "{\"value\":\"{\\\"n\\\":9}\"}");
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.error()).contains("etag mismatch");

    String current =
        state
            .get(State.GetRequest.newBuilder().setKey("app||order-1").build())
            .getEtag()
            .getValue();
    Reply saved = send("PUT", "state?" + key + "&etag=" + current, "{\"value\":\"{\\\"n\\\":3}\"}");
    assertThat(saved.status()).isEqualTo(200);
    State.GetResponse got = state.get(State.GetRequest.newBuilder().setKey("app||order-1").build());
    assertThat(got.getData().toStringUtf8()).isEqualTo("{\"n\":3}");
    assertThat(got.getEtag().getValue()).isEqualTo(saved.json().get("etag").asText());
  }

  @Test
  void aPublishFromTheFormReachesADeviceWithItsProperties() throws Exception {
    Mqtt5BlockingClient.Mqtt5Publishes publishes = device.publishes(MqttGlobalPublishFilter.ALL);
    device.subscribeWith().topicFilter("cmd/#").qos(MqttQos.AT_LEAST_ONCE).send();

    Reply reply =
        send(
            "POST",
            "publish",
            "{\"topic\":\"cmd/valve\",\"payload\":\"open\",\"qos\":1,"
                + "\"contentType\":\"text/plain\",\"responseTopic\":\"cmd/reply\","
                + "\"correlationData\":\"c-1\",\"messageExpiry\":60,"
                + "\"userProperties\":[[\"origin\",\"console\"]]}");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("matchedSubscribers").asInt()).isEqualTo(1);

    Mqtt5Publish got = publishes.receive(WAIT.toMillis(), TimeUnit.MILLISECONDS).orElseThrow();
    assertThat(got.getTopic().toString()).isEqualTo("cmd/valve");
    assertThat(got.getPayloadAsBytes()).isEqualTo(bytes("open"));
    assertThat(got.getContentType().orElseThrow().toString()).isEqualTo("text/plain");
    assertThat(got.getResponseTopic().orElseThrow().toString()).isEqualTo("cmd/reply");
    assertThat(got.getMessageExpiryInterval().orElseThrow()).isBetween(1L, 60L);
    assertThat(got.getUserProperties().asList()).hasSize(1);
    assertThat(got.getUserProperties().asList().get(0).getValue().toString()).isEqualTo("console");
  }

  @Test
  void theLiveStreamShowsWhatADevicePublishes() throws Exception {
    HttpResponse<Stream<String>> stream =
        http.send(
            HttpRequest.newBuilder(api("live?filter=" + enc("sensors/+/temp"))).build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("content-type").orElse(""))
        .startsWith("text/event-stream");
    sidecar.awaitSubscribers("sensors/a/temp", 1);

    device
        .publishWith()
        .topic("sensors/a/temp")
        .payload(bytes("21.5"))
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
    Iterator<String> lines = stream.body().iterator();
    JsonNode event = nextData(lines);
    JsonNode message = event.get("messages").get(0);
    assertThat(message.get("topic").asText()).isEqualTo("sensors/a/temp");
    assertThat(message.get("payload").asText()).isEqualTo("MjEuNQ=="); // "21.5"
    assertThat(message.get("qos").asInt()).isEqualTo(1);
    stream.body().close();
  }

  @Test
  void anInvalidLiveFilterIsRefusedWithAReason() throws Exception {
    HttpResponse<Stream<String>> stream =
        http.send(
            HttpRequest.newBuilder(api("live?filter=" + enc("a/#/b"))).build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.body().toList())
        .contains("event: refused")
        .anySatisfy(line -> assertThat(line).startsWith("data: ").contains("invalid topic filter"));
  }

  @Test
  void sessionsShowConnectedClients() throws Exception {
    device.subscribeWith().topicFilter("alerts/#").send();
    JsonNode page = get("sessions?limit=10").json();
    JsonNode mine = null;
    for (JsonNode s : page.get("items")) {
      if (s.get("clientId").asText().equals(clientId())) {
        mine = s;
      }
    }
    assertThat(mine).as("the device's session in %s", page).isNotNull();
    assertThat(mine.get("connected").asBoolean()).isTrue();
    assertThat(mine.get("protocolVersion").asInt()).isEqualTo(5);
    assertThat(mine.get("remoteAddress").asText()).startsWith("127.0.0.1:");
    assertThat(mine.get("subscriptions").toString()).contains("alerts/#");
    assertThat(get("stats").json().get("clients/connected").asText()).isEqualTo("1");
  }

  @Test
  void malformedRequestsAreClear400s() throws Exception {
    assertThat(get("retained?limit=0").status()).isEqualTo(400);
    assertThat(get("retained?limit=abc").error()).contains("limit");
    assertThat(get("sessions?limit=100000").error()).contains("limit must be from 1 to 500");
    assertThat(send("POST", "publish", "{not json").error()).contains("malformed JSON");
    assertThat(send("POST", "publish", "{\"topic\":\"a\",\"qos\":3}").error()).contains("qos");
    assertThat(send("POST", "publish", "{\"topic\":\"a/#\"}").status()).isEqualTo(400);
    assertThat(send("PUT", "state?store=s&key=k&etag=bad", "{\"value\":\"v\"}").error())
        .contains("invalid etag");
    assertThat(get("state").error()).contains("store");
    assertThat(get("nothing-here").status()).isEqualTo(404);
    assertThat(
            http.send(
                    HttpRequest.newBuilder(console.resolve("../etc/passwd")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(404);
  }

  @Test
  void thePageAndItsModulesAreServed() throws Exception {
    HttpResponse<String> page =
        http.send(HttpRequest.newBuilder(console).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script type=\"module\" src=\"main.js\">");
    HttpResponse<String> module =
        http.send(
            HttpRequest.newBuilder(console.resolve("live.js")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(module.headers().firstValue("content-type").orElse(""))
        .startsWith("text/javascript");
  }

  private String clientId() {
    return device.getConfig().getClientIdentifier().orElseThrow().toString();
  }

  private static JsonNode nextData(Iterator<String> lines) throws Exception {
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.startsWith("data: ")) {
        return JSON.readTree(line.substring(6));
      }
    }
    throw new AssertionError("the stream ended without an event");
  }

  private static java.util.List<String> topics(JsonNode page) {
    java.util.List<String> out = new java.util.ArrayList<>();
    page.get("items").forEach(i -> out.add(i.get("message").get("topic").asText()));
    return out;
  }

  private record Reply(int status, String body) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }

    String error() throws Exception {
      return json().path("error").asText();
    }
  }

  private Reply get(String route) throws Exception {
    return send("GET", route, null);
  }

  private Reply send(String method, String route, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(api(route)).timeout(WAIT);
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  private URI api(String route) {
    return console.resolve("api/" + route);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
