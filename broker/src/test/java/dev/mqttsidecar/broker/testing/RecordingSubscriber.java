package dev.mqttsidecar.broker.testing;

import dev.mqttsidecar.broker.Delivery;
import dev.mqttsidecar.broker.Subscriber;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An in-process subscriber that records deliveries; settling is up to the test (or automatic). */
public final class RecordingSubscriber implements Subscriber {
  private final BlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
  private final List<Delivery> all = new CopyOnWriteArrayList<>();
  private final boolean autoAck;

  private RecordingSubscriber(boolean autoAck) {
    this.autoAck = autoAck;
  }

  /** Leaves every delivery unsettled. */
  public static RecordingSubscriber manual() {
    return new RecordingSubscriber(false);
  }

  /** Acks every delivery as it arrives. */
  public static RecordingSubscriber autoAck() {
    return new RecordingSubscriber(true);
  }

  @Override
  public void onMessage(Delivery delivery) {
    all.add(delivery);
    queue.add(delivery);
    if (autoAck) {
      delivery.ack();
    }
  }

  /** The next delivery within {@code timeout}, or an AssertionError. */
  public Delivery next(Duration timeout) throws InterruptedException {
    Delivery d = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (d == null) {
      throw new AssertionError("no delivery within " + timeout);
    }
    return d;
  }

  public Delivery next() throws InterruptedException {
    return next(Duration.ofSeconds(5));
  }

  /** Asserts nothing arrives within {@code wait}. */
  public void expectNothing(Duration wait) throws InterruptedException {
    Delivery d = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (d != null) {
      throw new AssertionError("unexpected delivery " + d);
    }
  }

  public List<Delivery> all() {
    return all;
  }

  public static String text(Delivery d) {
    return new String(d.message().payload(), StandardCharsets.UTF_8);
  }
}
