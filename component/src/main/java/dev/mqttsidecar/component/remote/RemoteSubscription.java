package dev.mqttsidecar.component.remote;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.mqttsidecar.broker.Delivery;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Subscriber;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription at a remote broker as a persistent MQTT 5 session of its own: clean start off, the
 * request's session expiry, Receive Maximum = the request's in-flight bound, and manual
 * acknowledgement, so the broker gets the PUBACK only once daprd acknowledged. What is not
 * acknowledged stays in the session and comes again after a reconnect or restart. A nack redelivers
 * here after the delay (MQTT has no negative acknowledgement).
 */
final class RemoteSubscription implements Subscription {
  private static final Logger log = LoggerFactory.getLogger(RemoteSubscription.class);

  private final SubscriptionRequest request;
  private final Subscriber subscriber;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Consumer<RemoteSubscription> onClosed;
  private final BrokerConnection connection;
  private final ArrayDeque<RemoteDelivery> held = new ArrayDeque<>();
  private boolean paused;
  private boolean closed;

  RemoteSubscription(
      RemoteSettings settings,
      String clientId,
      SubscriptionRequest request,
      Subscriber subscriber,
      ScheduledExecutorService scheduler,
      Clock clock,
      Consumer<RemoteSubscription> onClosed) {
    this.request = request;
    this.subscriber = subscriber;
    this.scheduler = scheduler;
    this.clock = clock;
    this.onClosed = onClosed;
    this.connection =
        new BrokerConnection(
            settings.forSession(request.sessionExpiry(), request.maxInflight()),
            clientId,
            scheduler,
            this::connected);
  }

  void start() {
    // Registered before connecting: a resumed session may deliver at once.
    connection.client().publishes(MqttGlobalPublishFilter.ALL, this::received, true);
    connection.start();
  }

  private void connected(boolean sessionPresent) {
    if (sessionPresent) {
      return; // the subscription is part of the session
    }
    connection
        .client()
        .subscribeWith()
        .topicFilter(request.filter())
        .qos(MqttQos.fromCode(request.maxQos().value()))
        // A shared subscription may not ask for No Local [MQTT-3.8.3-4].
        .noLocal(false)
        .send()
        .whenComplete(
            (ack, error) -> {
              List<Mqtt5SubAckReasonCode> codes = ack == null ? List.of() : ack.getReasonCodes();
              if (error != null || codes.stream().anyMatch(Mqtt5SubAckReasonCode::isError)) {
                log.error(
                    "{}: SUBSCRIBE {} refused: {}",
                    connection.clientId(),
                    request.filter(),
                    error != null ? error.getMessage() : codes);
              } else {
                log.info("{}: subscribed to {}", connection.clientId(), request.filter());
              }
            });
  }

  private void received(Mqtt5Publish publish) {
    Message message = PublishMapping.toMessage(publish, clock.instant());
    AtomicBoolean settled = new AtomicBoolean();
    offer(
        new RemoteDelivery(
            message,
            1,
            () -> {
              if (settled.compareAndSet(false, true)) {
                publish.acknowledge();
              }
            }));
  }

  private void offer(RemoteDelivery delivery) {
    synchronized (this) {
      if (closed) {
        return; // not acknowledged: the session keeps it for the next connection
      }
      if (paused) {
        held.add(delivery);
        return;
      }
    }
    subscriber.onMessage(delivery);
  }

  @Override
  public void pause() {
    synchronized (this) {
      paused = true;
    }
  }

  @Override
  public void resume() {
    List<RemoteDelivery> release;
    synchronized (this) {
      paused = false;
      release = List.copyOf(held);
      held.clear();
    }
    release.forEach(this::offer);
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      held.clear();
    }
    connection.close();
    onClosed.accept(this);
  }

  /** One delivery of a received message; a nack offers it again after the delay. */
  private final class RemoteDelivery implements Delivery {
    private final Message message;
    private final int count;
    private final Runnable acknowledge;

    RemoteDelivery(Message message, int count, Runnable acknowledge) {
      this.message = message;
      this.count = count;
      this.acknowledge = acknowledge;
    }

    @Override
    public Message message() {
      return message;
    }

    @Override
    public int deliveryCount() {
      return count;
    }

    @Override
    public void ack() {
      acknowledge.run();
    }

    @Override
    public void nack(Duration redeliverAfter) {
      RemoteDelivery again = new RemoteDelivery(message, count + 1, acknowledge);
      scheduler.schedule(
          () -> offer(again), Math.max(0, redeliverAfter.toMillis()), TimeUnit.MILLISECONDS);
    }
  }
}
