package dev.mqttsidecar.samples.pubsub;

import io.dapr.client.DaprClient;
import io.dapr.client.DaprClientBuilder;
import java.util.Map;

/**
 * Publishes orders through daprd to the "orders" topic of the mqtt-pubsub component: Dapr wraps
 * each in a CloudEvent; MQTT devices see them on the broker as {@code orders}.
 *
 * <p>Arguments: [count] (default 10).
 */
public final class Publisher {
  public static final String PUBSUB = "mqtt-pubsub";
  public static final String TOPIC = "orders";

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    try (DaprClient client = new DaprClientBuilder().build()) {
      client.waitForSidecar(10_000).block();
      for (int i = 1; i <= count; i++) {
        Order order = new Order(i, i % 2 == 0 ? "bolts" : "nuts", 10 * i);
        // ttlInSeconds becomes the MQTT 5 Message Expiry: an order nobody takes within a
        // minute is dropped by the broker.
        client.publishEvent(PUBSUB, TOPIC, order, Map.of("ttlInSeconds", "60")).block();
        System.out.println("Published " + order);
        Thread.sleep(1000);
      }
    }
  }
}
