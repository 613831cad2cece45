package dev.mqttsidecar.component.aio;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An AIO state store client for tests: requests with a response topic and correlation data. */
final class AioClient implements AutoCloseable {
  static final String INVOKE = "statestore/v1/FA9AE35F-2F64-47CD-9BFF-08E2B32A0FE8/command/invoke";
  static final String NOTIFY = "clients/statestore/v1/FA9AE35F-2F64-47CD-9BFF-08E2B32A0FE8/";

  /** The protocol's notification topic: upper-case hex of the client id and of the key. */
  static String notifyTopic(String clientId, String hexKey) {
    return NOTIFY + hex(clientId) + "/command/notify/" + hexKey;
  }

  static String hex(String text) {
    return java.util.HexFormat.of()
        .withUpperCase()
        .formatHex(text.getBytes(StandardCharsets.UTF_8));
  }

  static String array(String... args) {
    StringBuilder out = new StringBuilder("*").append(args.length).append("\r\n");
    for (String arg : args) {
      out.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
      out.append(arg).append("\r\n");
    }
    return out.toString();
  }

  private final Mqtt5BlockingClient client;
  private final Mqtt5BlockingClient.Mqtt5Publishes answers;
  private final String clientId;
  private final String responseTopic;
  private final BlockingQueue<Mqtt5Publish> notifications = new LinkedBlockingQueue<>();

  AioClient(Mqtt5BlockingClient client) {
    this.client = client;
    client.connect();
    clientId = client.getConfig().getClientIdentifier().orElseThrow().toString();
    responseTopic = "clients/" + clientId + "/services/statestore/_any_/command/invoke/response";
    answers = client.publishes(MqttGlobalPublishFilter.ALL);
    client.subscribeWith().topicFilter(responseTopic).qos(MqttQos.AT_LEAST_ONCE).send();
  }

  static String now() {
    return System.currentTimeMillis() + ":0:test-client";
  }

  String set(List<String> args) throws InterruptedException {
    List<String> all = new java.util.ArrayList<>(List.of("SET"));
    all.addAll(args);
    return call(array(all.toArray(String[]::new)), true);
  }

  String call(String payload, boolean timestamped) throws InterruptedException {
    return call(payload, timestamped ? now() : null, null);
  }

  String call(String payload, String ts, String ft) throws InterruptedException {
    return call(payload, ts, ft, true);
  }

  String call(String payload, String ts, String ft, boolean withSourceId)
      throws InterruptedException {
    return call(payload.getBytes(StandardCharsets.UTF_8), ts, ft, withSourceId);
  }

  String call(byte[] payload, String ts, String ft) throws InterruptedException {
    return call(payload, ts, ft, true);
  }

  private String call(byte[] payload, String ts, String ft, boolean withSourceId)
      throws InterruptedException {
    byte[] correlation = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
    publish(payload, ts, ft, correlation, withSourceId);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Optional<Mqtt5Publish> answer =
          answers.receive(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (answer.isPresent() && answer.get().getTopic().toString().startsWith(NOTIFY)) {
        notifications.add(answer.get());
      } else if (answer.isPresent()
          && answer.get().getCorrelationData().isPresent()
          && answer
              .get()
              .getCorrelationData()
              .get()
              .equals(java.nio.ByteBuffer.wrap(correlation))) {
        assertThat(answer.get().getUserProperties().asList())
            .anySatisfy(p -> assertThat(p.getName().toString()).isEqualTo("__ts"));
        return new String(answer.get().getPayloadAsBytes(), StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("no answer within 10 s");
  }

  Mqtt5PublishResult publish(String payload, String ts, String ft) {
    return publish(
        payload.getBytes(StandardCharsets.UTF_8),
        ts,
        ft,
        UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8),
        true);
  }

  private Mqtt5PublishResult publish(
      byte[] payload, String ts, String ft, byte[] correlation, boolean withSourceId) {
    Mqtt5PublishBuilder.Complete builder =
        Mqtt5Publish.builder()
            .topic(INVOKE)
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(payload)
            .responseTopic(responseTopic)
            .correlationData(correlation);
    var props = com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties.builder();
    if (withSourceId) {
      props.add("__srcId", clientId); // as AIO clients send with every request
    }
    if (ts != null) {
      props.add("__ts", ts);
    }
    if (ft != null) {
      props.add("__ft", ft);
    }
    return client.publish(builder.userProperties(props.build()).build());
  }

  Optional<Mqtt5Publish> receive(Duration timeout) throws InterruptedException {
    return answers.receive(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Subscribes to this client's KEYNOTIFY notifications, before asking for any. */
  void subscribeToNotifications() {
    client
        .subscribeWith()
        .topicFilter(notifyTopic(clientId, "+"))
        .qos(MqttQos.AT_LEAST_ONCE)
        .send();
  }

  /** The next notification as "{hex key} {payload}", or null if none comes within the time. */
  String notification(Duration timeout) throws InterruptedException {
    Mqtt5Publish next = notifications.poll();
    if (next == null) {
      Optional<Mqtt5Publish> received = receive(timeout);
      if (received.isEmpty()) {
        return null;
      }
      next = received.get();
    }
    String topic = next.getTopic().toString();
    assertThat(topic).startsWith(notifyTopic(clientId, ""));
    assertThat(next.getUserProperties().asList())
        .anySatisfy(p -> assertThat(p.getName().toString()).isEqualTo("__ts"));
    return topic.substring(topic.lastIndexOf('/') + 1)
        + " "
        + new String(next.getPayloadAsBytes(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    answers.close();
    client.disconnect();
  }
}
