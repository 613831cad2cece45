package dev.mqttsidecar.component.console;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.Delivery;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * One browser's live message table: an in-process subscription (the same API the Dapr pub/sub
 * streams use) that feeds a bounded {@link ViewerBuffer}. Deliveries are acknowledged as they are
 * buffered, so the broker never holds messages for a browser; the buffer's drops are the only loss
 * and they are counted and shown.
 */
public final class LiveView implements AutoCloseable {
  /** Enough unsettled deliveries to keep the subscription flowing between acknowledgements. */
  private static final int MAX_INFLIGHT = 64;

  private final ViewerBuffer<MessageJson> buffer;
  private final Subscription subscription;
  private final Clock clock;
  private final int maxPayloadBytes;
  private final Runnable onAvailable;

  /**
   * Subscribes {@code filter}.
   *
   * @param onAvailable called (from a broker thread) when a message arrives in an empty buffer
   * @throws BadRequest for an invalid filter
   */
  public LiveView(
      Broker broker,
      String filter,
      int capacity,
      int maxPayloadBytes,
      Clock clock,
      Runnable onAvailable) {
    this.buffer = new ViewerBuffer<>(capacity);
    this.clock = clock;
    this.maxPayloadBytes = maxPayloadBytes;
    this.onAvailable = onAvailable;
    if (filter.startsWith("$share/")) {
      throw new BadRequest("a live view cannot join a shared subscription: it would take messages");
    }
    SubscriptionRequest request =
        new SubscriptionRequest(
            "console/" + UUID.randomUUID(), filter, Qos.EXACTLY_ONCE, MAX_INFLIGHT, Duration.ZERO);
    try {
      this.subscription = broker.subscribe(request, this::onMessage);
    } catch (IllegalArgumentException e) {
      throw new BadRequest("invalid topic filter '" + filter + "': " + e.getMessage());
    }
  }

  private void onMessage(Delivery delivery) {
    boolean wasEmpty =
        buffer.add(MessageJson.of(delivery.message(), clock.instant(), maxPayloadBytes));
    delivery.ack();
    if (wasEmpty) {
      onAvailable.run();
    }
  }

  /** Takes up to {@code max} buffered messages and the count dropped since the last take. */
  public ViewerBuffer.Batch<MessageJson> take(int max) {
    return buffer.take(max);
  }

  /** How many messages reached this view, shown or dropped. */
  public long received() {
    return buffer.received();
  }

  @Override
  public void close() {
    subscription.close();
  }
}
