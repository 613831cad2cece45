package dev.mqttsidecar.component;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.BrokerStatistics;
import dev.mqttsidecar.component.pubsub.Devices;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link dev.mqttsidecar.broker.Broker#statistics()} reads the counters {@code $SYS} publishes:
 * after real MQTT traffic, the published values and the statistics agree.
 */
class BrokerStatisticsTest {
  @TempDir Path folder;

  @Test
  void statisticsAndSysTopicsShowTheSameCounters() throws Exception {
    BrokerConfig config = BrokerConfig.builder().port(0).sysInterval(Duration.ofSeconds(1)).build();
    try (InProcessSidecar sidecar = InProcessSidecar.start(folder, config)) {
      Mqtt5BlockingClient device = Devices.mqtt5(sidecar.mqttPort());
      for (int i = 0; i < 5; i++) {
        device
            .publishWith()
            .topic("plant/" + i)
            .payload(("v" + i).getBytes(StandardCharsets.UTF_8))
            .retain(true)
            .qos(MqttQos.AT_LEAST_ONCE)
            .send();
      }
      BrokerStatistics statistics = sidecar.sidecar().broker().statistics();
      Map<String, ToLongFunction<BrokerStatistics>> same =
          Map.of(
              "clients/total", BrokerStatistics::clientsTotal,
              "messages/received", BrokerStatistics::messagesReceived,
              "bytes/received", BrokerStatistics::bytesReceived,
              "retained messages/count", BrokerStatistics::retainedMessages,
              "retained messages/bytes", BrokerStatistics::retainedBytes,
              "publish/messages/dropped/not-authorized", BrokerStatistics::droppedNotAuthorized);
      assertThat(statistics.messagesReceived()).isEqualTo(5);
      assertThat(statistics.retainedMessages()).isEqualTo(5);

      Mqtt5BlockingClient reader = Devices.mqtt5(sidecar.mqttPort());
      Map<String, Long> published = new HashMap<>();
      try (Mqtt5BlockingClient.Mqtt5Publishes seen =
          reader.publishes(MqttGlobalPublishFilter.ALL)) {
        reader.subscribeWith().topicFilter("$SYS/broker/#").send();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!agree(published, same, statistics) && System.nanoTime() < deadline) {
          Optional<Mqtt5Publish> next = seen.receive(2, TimeUnit.SECONDS);
          next.ifPresent(
              p -> {
                String name = p.getTopic().toString().substring("$SYS/broker/".length());
                String value = new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8);
                if (same.containsKey(name)) {
                  published.put(name, Long.parseLong(value));
                }
              });
        }
      } finally {
        reader.disconnect();
        device.disconnect();
      }
      same.forEach(
          (name, read) ->
              assertThat(published.get(name)).as(name).isEqualTo(read.applyAsLong(statistics)));
    }
  }

  private static boolean agree(
      Map<String, Long> published,
      Map<String, ToLongFunction<BrokerStatistics>> same,
      BrokerStatistics statistics) {
    for (Map.Entry<String, ToLongFunction<BrokerStatistics>> e : same.entrySet()) {
      Long value = published.get(e.getKey());
      if (value == null || value != e.getValue().applyAsLong(statistics)) {
        return false;
      }
    }
    return true;
  }
}
