package dev.mqttsidecar.component.dataflow;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.Delivery;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a dataflow's filters from the embedded broker as in-process subscribers, one persistent
 * session per filter. The broker hands out at most {@code maxInflight} unacknowledged QoS 1
 * messages per filter; the rest wait in the session's queue (bounded by {@code
 * mqtt.maxQueuedMessages}) while the destination is slow or unreachable.
 */
final class EmbeddedSource implements AutoCloseable {
  private final List<Subscription> subscriptions = new ArrayList<>();

  EmbeddedSource(
      Broker broker, FlowSettings flow, Dataflow dataflow, int maxInflight, Duration expiry) {
    List<String> filters = flow.sourceTopics();
    for (int i = 0; i < filters.size(); i++) {
      SubscriptionRequest request =
          new SubscriptionRequest(
              "dataflow/" + flow.name() + "/" + i,
              filters.get(i),
              Qos.AT_LEAST_ONCE,
              maxInflight,
              expiry);
      subscriptions.add(
          broker.subscribe(request, delivery -> dataflow.handle(message(delivery), delivery::ack)));
    }
  }

  private static FlowMessage message(Delivery delivery) {
    Message m = delivery.message();
    return new FlowMessage(
        m.topic(),
        m.payload(),
        Math.min(m.qos().value(), 1),
        m.retain(),
        m.properties().contentType(),
        m.properties().userProperties());
  }

  @Override
  public void close() {
    subscriptions.forEach(Subscription::close);
  }
}
