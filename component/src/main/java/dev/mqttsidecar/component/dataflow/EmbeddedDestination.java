package dev.mqttsidecar.component.dataflow;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import java.util.concurrent.CompletableFuture;

/** Publishes into the embedded broker, in-process. */
final class EmbeddedDestination implements Destination {
  private final Broker broker;
  private final boolean keepRetain;

  EmbeddedDestination(Broker broker, boolean keepRetain) {
    this.broker = broker;
    this.keepRetain = keepRetain;
  }

  @Override
  public CompletableFuture<Void> send(FlowMessage m) {
    Message message =
        new Message(
            m.topic(),
            m.payload(),
            Qos.of(m.qos()),
            keepRetain && m.retain(),
            new MessageProperties(false, m.contentType(), null, null, m.userProperties()),
            null);
    return broker.publish(message).thenAccept(EmbeddedDestination::check);
  }

  private static void check(PublishResult result) {
    switch (result.status()) {
      case ACCEPTED -> {}
      case INVALID_TOPIC, NOT_AUTHORIZED, TOO_LARGE ->
          throw new Refused(result.status() + " " + result.reason());
      case QUOTA_EXCEEDED, STORAGE_FAILED, UNAVAILABLE ->
          throw new IllegalStateException(result.status() + " " + result.reason());
    }
  }
}
