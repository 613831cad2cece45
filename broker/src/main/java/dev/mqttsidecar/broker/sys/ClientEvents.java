package dev.mqttsidecar.broker.sys;

import dev.mqttsidecar.broker.ClientEventTopics;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.core.PublishService;
import dev.mqttsidecar.broker.core.SubscriptionService;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Publishes client life-cycle events on {@code $events/clients/{clientId}/connected} and {@code
 * .../disconnected} through the one publish path, so MQTT clients and Dapr apps can subscribe to
 * them. {@code $}-topics are not matched by filters starting with a wildcard [MQTT-4.7.2-1], so
 * plain {@code #} subscribers do not see them; and when no filter starts with {@code $events} no
 * event is built at all ({@link #wanted}), which keeps connecting and disconnecting cheap.
 */
public final class ClientEvents {
  /** The topic prefix of every life-cycle event. */
  public static final String PREFIX = ClientEventTopics.PREFIX;

  private static final String FIRST_LEVEL = "$events";

  private static final MessageProperties JSON =
      new MessageProperties(true, "application/json", null, null, List.of());

  private final PublishService publisher;
  private final SubscriptionService subscriptions;
  private final boolean enabled;

  public ClientEvents(
      PublishService publisher, SubscriptionService subscriptions, boolean enabled) {
    this.publisher = publisher;
    this.subscriptions = subscriptions;
    this.enabled = enabled;
  }

  /**
   * Whether an event now would reach anyone: events are on and some subscription (an MQTT client's
   * or an in-process one) has a filter under {@code $events}. Callers skip building events
   * otherwise.
   */
  public boolean wanted() {
    return enabled && subscriptions.hasFiltersUnder(FIRST_LEVEL);
  }

  public void connected(ClientEvent e) {
    publish(e, "connected");
  }

  public void disconnected(ClientEvent e) {
    publish(e, "disconnected");
  }

  private void publish(ClientEvent e, String what) {
    if (!wanted()) {
      return;
    }
    byte[] json = e.toJson().getBytes(StandardCharsets.UTF_8);
    publisher.publish(
        new Message(
            ClientEventTopics.of(e.clientId(), what), json, Qos.AT_LEAST_ONCE, false, JSON, null),
        null);
  }
}
