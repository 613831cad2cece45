package dev.mqttsidecar.component.remote;

import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageBus;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.PublishResult.Status;
import dev.mqttsidecar.broker.Subscriber;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.component.endpoint.EndpointSettings.RetainPolicy;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publish and subscribe at a remote MQTT 5 broker. Publishes go through one connection and complete
 * on PUBACK; while that connection is down they wait, up to {@code maxBufferedMessages} and {@code
 * maxBufferedBytes} unacknowledged at once, beyond which Publish is refused as {@code UNAVAILABLE}.
 * Each subscription is a persistent session of its own (see {@link RemoteSubscription}).
 */
public final class RemoteMessageBus implements MessageBus, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RemoteMessageBus.class);

  private final RemoteSettings settings;
  private final String clientIdBase;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final BrokerConnection publisher;
  private final Set<RemoteSubscription> subscriptions = ConcurrentHashMap.newKeySet();
  private int pending;
  private long pendingBytes;
  private long refused;
  private boolean closed;

  /**
   * @param clientIdBase the prefix and stable suffix; each connection appends its role
   */
  public RemoteMessageBus(
      RemoteSettings settings,
      String clientIdBase,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this.settings = settings;
    this.clientIdBase = clientIdBase;
    this.scheduler = scheduler;
    this.clock = clock;
    this.publisher = new BrokerConnection(settings, clientIdBase + "-pub", scheduler, p -> {});
    publisher.start();
  }

  @Override
  public CompletableFuture<PublishResult> publish(Message message) {
    Message outgoing =
        settings.retain() == RetainPolicy.NEVER ? message.withRetain(false) : message;
    int size = outgoing.payloadSize();
    synchronized (this) {
      if (closed) {
        return CompletableFuture.completedFuture(
            PublishResult.rejected(Status.UNAVAILABLE, "the component is shutting down"));
      }
      if (pending >= settings.maxBufferedMessages()
          || pendingBytes + size > settings.maxBufferedBytes()) {
        if (refused++ % 1000 == 0) {
          log.warn(
              "{}: {} messages ({} bytes) wait for {} already; {} publishes refused so far",
              publisher.clientId(),
              pending,
              pendingBytes,
              settings.servers(),
              refused);
        }
        return CompletableFuture.completedFuture(
            PublishResult.rejected(
                Status.UNAVAILABLE,
                "the outgoing buffer is full ("
                    + pending
                    + " messages, "
                    + pendingBytes
                    + " bytes wait for "
                    + settings.servers()
                    + "; maxBufferedMessages/maxBufferedBytes)"));
      }
      pending++;
      pendingBytes += size;
    }
    CompletableFuture<Mqtt5PublishResult> sent =
        publisher
            .started()
            .thenCompose(
                started ->
                    publisher
                        .client()
                        .publish(PublishMapping.toPublish(outgoing, clock.instant())));
    return sent.handle(
        (result, error) -> {
          release(size);
          Throwable cause = error != null ? error : result.getError().orElse(null);
          return cause == null ? PublishResult.accepted(1) : refusal(cause);
        });
  }

  private synchronized void release(int size) {
    pending--;
    pendingBytes -= size;
  }

  /** The PUBACK's reason code as the embedded broker's status [MQTT 5.0 §3.4.2.1]. */
  private static PublishResult refusal(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof Mqtt5PubAckException pubAck) {
      Mqtt5PubAckReasonCode code = pubAck.getMqttMessage().getReasonCode();
      String reason =
          "PUBACK "
              + code
              + pubAck.getMqttMessage().getReasonString().map(r -> ": " + r).orElse("");
      Status status =
          switch (code) {
            case NOT_AUTHORIZED -> Status.NOT_AUTHORIZED;
            case TOPIC_NAME_INVALID, PAYLOAD_FORMAT_INVALID -> Status.INVALID_TOPIC;
            case QUOTA_EXCEEDED -> Status.QUOTA_EXCEEDED;
            default -> Status.UNAVAILABLE;
          };
      return PublishResult.rejected(status, reason);
    }
    return PublishResult.rejected(Status.UNAVAILABLE, String.valueOf(cause.getMessage()));
  }

  @Override
  public Subscription subscribe(SubscriptionRequest request, Subscriber subscriber) {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the component is shutting down");
      }
    }
    RemoteSubscription subscription =
        new RemoteSubscription(
            settings,
            ClientIds.forSession(clientIdBase, request.sessionId()),
            request,
            subscriber,
            scheduler,
            clock,
            subscriptions::remove);
    subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  /** The connection settings this bus was made with. */
  public RemoteSettings settings() {
    return settings;
  }

  /**
   * Disconnects every connection; sessions stay at the broker for their expiry. Subscribers still
   * open are told that their subscription ended.
   */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    subscriptions.forEach(s -> s.endWithBus("the component's remote connections were closed"));
    publisher.close();
  }
}
