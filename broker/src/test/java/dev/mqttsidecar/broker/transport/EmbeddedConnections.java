package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.core.BrokerServices;
import dev.mqttsidecar.broker.persistence.MemoryStorage;
import dev.mqttsidecar.broker.server.EmbeddedBroker;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.testing.ManualScheduler;
import dev.mqttsidecar.broker.testing.MutableClock;
import dev.mqttsidecar.broker.testing.TrackingAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * MQTT connections to one broker core, each an {@code EmbeddedChannel} with the stages a listener
 * gives a real connection (the {@link ConnectDeadline}, then {@link
 * ListenerInitializer#addMqttStages}). The core's workers and timers, and each channel's event
 * loop, run only in {@link #settle} on the caller's thread, so the same bytes always take the same
 * path. Buffers come from a {@link TrackingAllocator}, which tells right after a run whether any is
 * still held.
 */
final class EmbeddedConnections implements AutoCloseable {
  /** Rounds of running ready work before the broker counts as busy forever. */
  private static final int MAX_ROUNDS = 10_000;

  private static final int TASKS_PER_ROUND = 1_000;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-02T03:04:05Z"));
  private final ManualScheduler executor = new ManualScheduler(clock);
  private final TrackingAllocator allocator = new TrackingAllocator();
  private final BrokerServices services;
  private final MqttServer server;
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  /**
   * @param config the broker's settings; its clock is replaced by this bench's
   */
  EmbeddedConnections(BrokerConfig.Builder config) {
    BrokerConfig built = config.clock(clock).sysInterval(Duration.ZERO).build();
    MemoryStorage storage = new MemoryStorage();
    services = EmbeddedBroker.assemble(built, storage, executor, executor, () -> true);
    server = new MqttServer(services, storage.wills());
  }

  /** Opens a connection (nothing sent yet) and lets the broker accept it. */
  EmbeddedChannel open() {
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel c) {
                c.config().setAllocator(allocator);
                c.pipeline()
                    .addLast(
                        ConnectDeadline.NAME,
                        new ConnectDeadline(services.config().connectTimeout().toMillis()));
                ListenerInitializer.addMqttStages(
                    c.pipeline(), services, server, Listener.DEFAULT_NAME);
              }
            });
    ch.freezeTime(); // time moves only with advance()
    channels.add(ch);
    settle();
    return ch;
  }

  /**
   * Sends {@code bytes} to the broker on {@code ch} and lets it act on them; nothing if the broker
   * has closed the connection.
   */
  void send(EmbeddedChannel ch, byte[] bytes) {
    if (!ch.isOpen() || bytes.length == 0) {
      return;
    }
    ByteBuf buf = allocator.heapBuffer(bytes.length);
    buf.writeBytes(bytes);
    ch.writeInbound(buf); // throws what reached the end of the pipeline
    settle();
  }

  /** The client drops the connection without DISCONNECT. */
  void drop(EmbeddedChannel ch) {
    ch.close();
    settle();
  }

  /** Moves the broker's clock and every connection's timers on by {@code d}. */
  void advance(Duration d) {
    clock.advance(d); // due timers run in settle(), bounded
    for (EmbeddedChannel ch : channels) {
      ch.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
      ch.runScheduledPendingTasks();
      ch.checkException();
    }
    settle();
  }

  /**
   * Runs every connection's event loop and the broker's ready tasks until none is left, reading
   * (and releasing) what the broker writes.
   *
   * @throws AssertionError when work keeps coming (a task that always schedules another)
   */
  void settle() {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      boolean worked = false;
      for (EmbeddedChannel ch : channels) {
        if (ch.hasPendingTasks()) {
          ch.runPendingTasks();
          worked = true;
        }
        ch.checkException();
        for (Object out = ch.readOutbound(); out != null; out = ch.readOutbound()) {
          ReferenceCountUtil.release(out);
          worked = true;
        }
      }
      if (executor.runDue(TASKS_PER_ROUND) > 0) {
        worked = true;
      }
      if (!worked) {
        return;
      }
    }
    throw new AssertionError("the broker still had work after " + MAX_ROUNDS + " rounds");
  }

  /**
   * Closes every connection and checks what must hold once they are gone: no session online, no
   * client counted as connected, every buffer released.
   *
   * @throws AssertionError naming what does not hold
   */
  @Override
  public void close() {
    for (EmbeddedChannel ch : channels) {
      ch.close();
    }
    settle();
    for (EmbeddedChannel ch : channels) {
      ch.finishAndReleaseAll();
    }
    List<String> problems = new ArrayList<>();
    for (Session s : services.sessions().all()) {
      if (s.isOnline()) {
        problems.add("session " + s + " still online after its connection closed");
      }
    }
    int connected = server.stats().clientsConnected();
    if (connected != 0) {
      problems.add(connected + " client(s) still counted as connected");
    }
    List<String> held = allocator.unreleased();
    if (!held.isEmpty()) {
      problems.add(held.size() + " buffer(s) not released: " + held);
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("\n", problems));
    }
  }
}
