package dev.mqttsidecar.samples.pubsub;

import io.dapr.client.DaprClientBuilder;
import io.dapr.client.DaprPreviewClient;
import io.dapr.utils.TypeRef;
import java.util.Map;

/**
 * Subscribes to the "orders" topic with a streaming subscription (no app port needed): daprd pulls
 * the messages from the sidecar and streams them here. Orders published by the Publisher and JSON
 * published by MQTT devices on {@code orders} both arrive.
 */
public final class Subscriber {
  public static void main(String[] args) throws Exception {
    try (DaprPreviewClient client = new DaprClientBuilder().buildPreviewClient()) {
      client
          .subscribeToTopic(
              Publisher.PUBSUB, Publisher.TOPIC, new TypeRef<Map<String, Object>>() {})
          .doOnNext(order -> System.out.println("Received " + order))
          .doOnError(e -> System.err.println("Subscription failed: " + e))
          .blockLast();
    }
  }
}
