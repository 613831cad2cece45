package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.BrokerConfig.QueueOverflow;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue of messages waiting for a receiver, a persistent session's or a shared group's: bounded
 * in messages and in payload bytes, with the configured overflow policy, mirrored to {@link
 * dev.mqttsidecar.broker.persistence.QueuePersistence} when its owner must survive a restart, and
 * keeping only the headers of stored messages that wait (their payloads are read back before they
 * are handed out). Confined to the owner's serial executor.
 */
public final class DurableQueue {
  private static final Logger log = LoggerFactory.getLogger(DurableQueue.class);

  /** What the queue asks of the session or shared group that owns it. */
  @FunctionalInterface
  public interface Owner {
    /** Whether anyone can take messages now: the session is attached, a group member online. */
    boolean receiving();

    /** Whether the durable queue under this id is still this owner's (a successor may take it). */
    default boolean ownsStore() {
      return true;
    }

    /** A message left for good undelivered (overflow, expiry, gone from the store). */
    default void dropped(QueuedMessage m) {}
  }

  /**
   * What became of an offered message.
   *
   * @param overflowed the full queue dropped it (counted)
   * @param stored completes when its durable copy is stored; null when none is written
   */
  public record Admission(boolean overflowed, CompletableFuture<Void> stored) {
    /** Nothing to store and nothing dropped by a full queue. */
    public static final Admission NOT_STORED = new Admission(false, null);

    /**
     * Completes the publisher's acknowledgement {@code ack} once the message is durable where it
     * must be: at once without a durable copy, else when it is stored (or failed to be).
     */
    public void acknowledge(CompletableFuture<Boolean> ack) {
      if (stored == null) {
        ack.complete(overflowed);
        return;
      }
      stored.whenComplete(
          (v, e) -> {
            if (e == null) {
              ack.complete(overflowed);
            } else {
              ack.completeExceptionally(e);
            }
          });
    }
  }

  private final String id;
  private final QueueContext ctx;
  private final Executor executor;
  private final Owner owner;
  private final ArrayDeque<QueuedMessage> pending = new ArrayDeque<>();
  private long pendingBytes; // payload bytes of pending, spilled ones included
  private long lastSequence;

  /**
   * @param id the durable queue id (a session key, or a group's queue id)
   * @param executor the owner's serial executor
   */
  public DurableQueue(String id, QueueContext ctx, Executor executor, Owner owner) {
    this.id = id;
    this.ctx = ctx;
    this.executor = executor;
    this.owner = owner;
  }

  public int size() {
    return pending.size();
  }

  /** Payload bytes of the queued messages, in memory or spilled. */
  public long bytes() {
    return pendingBytes;
  }

  /**
   * QoS 0 never waits for a receiver that is not there [MQTT-3.1.2-5]: false, and counted as
   * dropped, when there is none.
   */
  public boolean takesQos0(boolean receiverAvailable) {
    if (!receiverAvailable) {
      ctx.counters().countQos0Dropped();
    }
    return receiverAvailable;
  }

  /**
   * Queues a message within the bound and, if {@code durable} and not QoS 0, stores its copy; once
   * stored it leaves memory if it will wait ({@link #spillIfWaiting}).
   */
  public Admission admit(QueuedMessage m, boolean durable) {
    if (!offer(m)) {
      return new Admission(true, null);
    }
    if (!durable || m.qos() == Qos.AT_MOST_ONCE) {
      return Admission.NOT_STORED;
    }
    CompletableFuture<Void> stored = store(m);
    if (backlogged()) { // an owner keeping up pays no extra task per message
      stored.thenRun(() -> executor.execute(() -> spillIfWaiting(m)));
    }
    return new Admission(false, stored);
  }

  /**
   * Appends within both bounds; false if the message was dropped (and counted). Dropping the oldest
   * may take several to make room for a large message; one larger than the byte bound never fits.
   */
  public boolean offer(QueuedMessage m) {
    if (m.payloadSize() > ctx.maxQueuedBytes()) {
      ctx.counters().countOverflow();
      return false;
    }
    while (pending.size() >= ctx.maxQueued()
        || pendingBytes + m.payloadSize() > ctx.maxQueuedBytes()) {
      ctx.counters().countOverflow();
      if (ctx.overflow() == QueueOverflow.DROP_NEWEST) {
        return false;
      }
      discard(removeFirst());
    }
    addLast(m);
    return true;
  }

  /** Stores the durable copy of a message just offered; completes when it is stored. */
  public CompletableFuture<Void> store(QueuedMessage m) {
    if (!owner.ownsStore()) {
      return CompletableFuture.completedFuture(null); // replaced: the owner is ending
    }
    m.storedAt(id, ++lastSequence);
    return ctx.queues().append(id, lastSequence, m.delivered());
  }

  /**
   * Whether newly stored messages would wait long enough to be worth spilling: nobody receives, or
   * the queue is deep, and the store can give them back.
   */
  public boolean backlogged() {
    return (!owner.receiving() || pending.size() > QueuedMessage.IN_MEMORY_HEAD)
        && ctx.queues().readable();
  }

  /**
   * A message's durable copy in this queue is stored: while it still waits (never sent) and the
   * queue is backlogged, its payload and properties leave memory, so a backlog need not fit in it.
   */
  public void spillIfWaiting(QueuedMessage m) {
    if (backlogged() && m.deliveryCount() == 0 && id.equals(m.storedIn())) {
      m.spill();
    }
  }

  /**
   * Forgets the durable copy of a message that left for good (settled or dropped), wherever it is
   * (a shared group's message has its copy in the group's queue).
   */
  public void forget(QueuedMessage m) {
    if (!owner.ownsStore() && id.equals(m.storedIn())) {
      m.storedAt(null, 0); // the successor owns the id: its entries must stay
    } else {
      m.forgetStored(ctx.queues());
    }
  }

  private void discard(QueuedMessage m) {
    forget(m);
    owner.dropped(m);
  }

  /** Appends without the bound (a shared group sized its hand-over by the receiver's window). */
  public void addLast(QueuedMessage m) {
    pending.addLast(m);
    pendingBytes += m.payloadSize();
  }

  /** Puts messages back at the head, keeping their order, without the bound. */
  public void addFirst(List<QueuedMessage> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      pending.addFirst(messages.get(i));
      pendingBytes += messages.get(i).payloadSize();
    }
  }

  private QueuedMessage removeFirst() {
    QueuedMessage m = pending.pollFirst();
    if (m != null) {
      pendingBytes -= m.payloadSize();
    }
    return m;
  }

  /**
   * The head, its content read back if it was spilled, after dropping messages that expired
   * (counted) or whose stored copy is gone; null when empty.
   */
  public QueuedMessage peekUnexpired(Instant now) {
    while (!pending.isEmpty()) {
      QueuedMessage head = pending.peekFirst();
      if (head.delivered().isExpired(now)) {
        removeFirst();
        ctx.counters().countExpired();
        discard(head);
      } else if (head.load(ctx.queues())) {
        return head;
      } else {
        removeFirst();
        log.warn("{}: queued message {} is gone from the store", id, head.sequence());
        discard(head);
      }
    }
    return null;
  }

  public QueuedMessage poll() {
    return removeFirst();
  }

  /** Removes and returns, in queue order, the messages that match. */
  public List<QueuedMessage> takeAll(Predicate<QueuedMessage> which) {
    List<QueuedMessage> taken = new ArrayList<>();
    for (Iterator<QueuedMessage> it = pending.iterator(); it.hasNext(); ) {
      QueuedMessage m = it.next();
      if (which.test(m)) {
        it.remove();
        pendingBytes -= m.payloadSize();
        taken.add(m);
      }
    }
    return taken;
  }

  /**
   * Puts back stored messages ({@code entries}) in sequence order, each made by {@code wrap} from
   * its stored message, and continues numbering after the largest sequence of {@code allStored} (a
   * new append must never overwrite a stored entry).
   */
  public void restore(
      List<StoredQueueEntry> entries,
      List<StoredQueueEntry> allStored,
      Function<Message, QueuedMessage> wrap) {
    List<StoredQueueEntry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(StoredQueueEntry::sequence));
    for (StoredQueueEntry e : sorted) {
      QueuedMessage m = wrap.apply(e.message());
      m.storedAt(id, e.sequence());
      if (e.contentInStore()) {
        m.contentLeftInStore(e.payloadSize());
      }
      addLast(m);
    }
    for (StoredQueueEntry e : allStored) {
      lastSequence = Math.max(lastSequence, e.sequence());
    }
  }

  /** The owner ended: what is queued is dropped, and so is the durable queue if it was used. */
  public void close() {
    pending.clear();
    pendingBytes = 0;
    if (lastSequence != 0 && owner.ownsStore()) {
      ctx.queues().drop(id);
    }
  }
}
