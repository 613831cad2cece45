package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.BrokerConfig.QueueOverflow;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's queue of messages not yet sent: bounded with the configured overflow policy, and
 * mirrored to {@link dev.mqttsidecar.broker.persistence.QueuePersistence} while the session is
 * persistent. Confined to the owning session's executor.
 */
final class SessionQueue {
  private static final Logger log = LoggerFactory.getLogger(SessionQueue.class);

  private final Session owner;
  private final SessionContext ctx;
  private final ArrayDeque<QueuedMessage> pending = new ArrayDeque<>();
  private long lastSequence;

  SessionQueue(Session owner, SessionContext ctx) {
    this.owner = owner;
    this.ctx = ctx;
  }

  /**
   * Puts back the messages stored for this session ({@code entries}, those not back in flight), in
   * sequence order, and continues numbering after the largest of {@code allStored} (a new append
   * must never overwrite a stored entry).
   */
  void restore(
      List<StoredQueueEntry> entries,
      List<StoredQueueEntry> allStored,
      Function<String, int[]> subscriptionIds) {
    List<StoredQueueEntry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(StoredQueueEntry::sequence));
    for (StoredQueueEntry e : sorted) {
      QueuedMessage m = QueuedMessage.direct(e.message(), e.message());
      m.storedAt(owner.key(), e.sequence());
      m.withSubscriptionIds(subscriptionIds.apply(e.message().topic()));
      if (e.contentInStore()) {
        m.contentLeftInStore();
      }
      pending.addLast(m);
    }
    for (StoredQueueEntry e : allStored) {
      lastSequence = Math.max(lastSequence, e.sequence());
    }
  }

  /** Appends within the bound; false if the message was dropped (and counted). */
  boolean offer(QueuedMessage m) {
    if (pending.size() >= ctx.maxQueued()) {
      ctx.counters().countOverflow();
      if (ctx.overflow() == QueueOverflow.DROP_NEWEST) {
        return false;
      }
      QueuedMessage dropped = pending.pollFirst();
      if (dropped != null) {
        discard(dropped);
      }
    }
    pending.addLast(m);
    return true;
  }

  /** Stores the durable copy of a message just offered; completes when it is stored. */
  CompletableFuture<Void> store(QueuedMessage m) {
    if (owner.storeForgotten()) {
      return CompletableFuture.completedFuture(null); // replaced: this session is ending
    }
    m.storedAt(owner.key(), ++lastSequence);
    return ctx.queues().append(owner.key(), lastSequence, m.delivered());
  }

  /**
   * A message's durable copy is stored: if it waits for an offline session, or deep in the queue of
   * an online one, its payload and properties leave memory, so a backlog need not fit in it.
   */
  void spillIfWaiting(QueuedMessage m) {
    if (backlogged() && m.deliveryCount() == 0 && owner.key().equals(m.storedIn())) {
      m.spill();
    }
  }

  /**
   * Whether newly stored messages would wait long enough to be worth spilling: the session is
   * offline or its queue is deep, and the store can give them back.
   */
  boolean backlogged() {
    return (!owner.isOnline() || pending.size() > QueuedMessage.IN_MEMORY_HEAD)
        && ctx.queues().readable();
  }

  /**
   * Forgets the durable copy of a message that left for good (settled or dropped); for a shared
   * group's message that copy is in the group's queue.
   */
  void forget(QueuedMessage m) {
    if (owner.storeForgotten() && owner.key().equals(m.storedIn())) {
      m.storedAt(null, 0); // the successor owns the key: its entries must stay
    } else {
      m.forgetStored(ctx.queues());
    }
  }

  /** Removes a message for good: its durable copy goes and its shared group gets the slot back. */
  private void discard(QueuedMessage m) {
    forget(m);
    if (m.group() != null) {
      m.group().release(owner, 1);
    }
  }

  /** Appends without the bound: a shared group sized its hand-over by our window. */
  void addLast(QueuedMessage m) {
    pending.addLast(m);
  }

  /** Puts messages back at the head, keeping their order. */
  void addFirst(List<QueuedMessage> messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      pending.addFirst(messages.get(i));
    }
  }

  /** The head after dropping expired messages (counted), or null when empty. */
  QueuedMessage peekUnexpired(Instant now) {
    while (!pending.isEmpty()) {
      QueuedMessage head = pending.peekFirst();
      if (head.delivered().isExpired(now)) {
        pending.pollFirst();
        ctx.counters().countExpired();
        discard(head);
      } else if (head.load(ctx.queues())) {
        return head;
      } else {
        pending.pollFirst();
        log.warn("{}: queued message {} is gone from the store", owner, head.sequence());
        discard(head);
      }
    }
    return null;
  }

  QueuedMessage poll() {
    return pending.pollFirst();
  }

  /** Hands every shared-group message back to its group. */
  void returnGroupMessages() {
    Map<GroupLink, List<QueuedMessage>> byGroup = new LinkedHashMap<>();
    for (Iterator<QueuedMessage> it = pending.iterator(); it.hasNext(); ) {
      QueuedMessage m = it.next();
      if (m.group() != null) {
        it.remove();
        byGroup.computeIfAbsent(m.group(), g -> new ArrayList<>()).add(m);
      }
    }
    byGroup.forEach((g, list) -> g.giveBack(owner, list));
  }

  /** The session ended: shared messages go back, the rest and the durable queue are dropped. */
  void close() {
    returnGroupMessages();
    pending.clear();
    if (lastSequence != 0 && !owner.storeForgotten()) {
      ctx.queues().drop(owner.key());
    }
  }
}
