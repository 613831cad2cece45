package dev.mqttsidecar.broker.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsidecar.broker.sys.SysTopics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The broker's {@code $SYS/broker/...} statistics as an MQTT subscriber reads them; the broker
 * needs a short {@code sysInterval}.
 */
public final class SysValues implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final Mqtt5BlockingClient.Mqtt5Publishes publishes;
  private final Map<String, String> latest = new HashMap<>();

  private SysValues(Mqtt5BlockingClient client) {
    this.publishes = client.publishes(MqttGlobalPublishFilter.ALL);
    client.subscribeWith().topicFilter(SysTopics.PREFIX + "#").send();
  }

  /** Subscribes a new client of {@code broker} to every statistic. */
  public static SysValues of(BrokerFixture broker) {
    return new SysValues(broker.connect5("sys-values-reader"));
  }

  /**
   * Waits until the statistic {@code name} (such as {@code retained messages/count}) reads {@code
   * expected}.
   *
   * @throws AssertionError with the last value read, when it does not within 10 seconds
   */
  public void await(String name, String expected) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!expected.equals(latest.get(name))) {
      long left = deadline - System.nanoTime();
      Optional<Mqtt5Publish> p =
          left > 0 ? publishes.receive(left, TimeUnit.NANOSECONDS) : Optional.empty();
      if (p.isEmpty()) {
        throw new AssertionError(
            "$SYS statistic '" + name + "': expected " + expected + ", read " + latest.get(name));
      }
      String topic = p.get().getTopic().toString().substring(SysTopics.PREFIX.length());
      latest.put(topic, new String(p.get().getPayloadAsBytes(), UTF_8));
    }
  }

  @Override
  public void close() {
    publishes.close();
  }
}
