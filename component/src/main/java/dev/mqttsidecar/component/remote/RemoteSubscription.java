package dev.mqttsidecar.component.remote;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
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
import java.util.Optional;
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

  /** Whether the broker granted the SUBSCRIBE; until then every connect sends it (again). */
  private volatile boolean subscribed;

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
    if (sessionPresent && subscribed) {
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
            (answer, error) -> {
              // A SUBACK refusing every filter completes the future exceptionally.
              Mqtt5SubAck ack =
                  error instanceof Mqtt5SubAckException refused ? refused.getMqttMessage() : answer;
              if (ack == null) {
                // The connection dropped before the SUBACK: the next connect subscribes again.
                log.warn(
                    "{}: SUBSCRIBE {} not answered: {}",
                    connection.clientId(),
                    request.filter(),
                    error.getMessage());
                return;
              }
              Optional<Mqtt5SubAckReasonCode> refusal =
                  ack.getReasonCodes().stream().filter(Mqtt5SubAckReasonCode::isError).findFirst();
              if (refusal.isPresent()) {
                refused(refusal.get(), ack.getReasonString().map(r -> ": " + r).orElse(""));
              } else {
                subscribed = true;
                log.info("{}: subscribed to {}", connection.clientId(), request.filter());
              }
            });
  }

  /**
   * Ends a subscription the broker refused [MQTT 5.0 §3.9.3] and tells the subscriber why. The
   * session ends with it: it holds nothing, and would otherwise stay at the broker for its expiry.
   */
  private void refused(Mqtt5SubAckReasonCode code, String reason) {
    String detail = "the broker refused SUBSCRIBE " + request.filter() + " with " + code + reason;
    log.error("{}: {}", connection.clientId(), detail);
    Subscriber.End why =
        switch (code) {
          case NOT_AUTHORIZED -> Subscriber.End.NOT_AUTHORIZED;
          case TOPIC_FILTER_INVALID -> Subscriber.End.INVALID_FILTER;
          default -> Subscriber.End.REFUSED;
        };
    if (end(true)) {
      subscriber.ended(why, detail);
    }
  }

  /** Ends the subscription because its bus is closing, telling the subscriber. */
  void endWithBus(String detail) {
    if (end(false)) {
      subscriber.ended(Subscriber.End.CLOSED, detail);
    }
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
    end(false);
  }

  /** Closes once; true for the call that did. */
  private boolean end(boolean endSession) {
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
      held.clear();
    }
    if (endSession) {
      connection.closeAndEndSession();
    } else {
      connection.close();
    }
    onClosed.accept(this);
    return true;
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
