package dev.mqttsidecar.broker.session;

import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A session's queue of messages not yet sent: a {@link DurableQueue} under the session's key that
 * also holds messages its shared groups handed over, which go back to them when the session leaves.
 * Confined to the owning session's executor.
 */
final class SessionQueue implements DurableQueue.Owner {
  private final Session owner;
  private final DurableQueue queue;

  SessionQueue(Session owner, SessionContext ctx) {
    this.owner = owner;
    this.queue = new DurableQueue(owner.key(), ctx.queueing(), owner.executor(), this);
  }

  @Override
  public boolean receiving() {
    return owner.isOnline();
  }

  /**
   * A successor under the same key owns the stored queue once this session's store is forgotten.
   */
  @Override
  public boolean ownsStore() {
    return !owner.storeForgotten();
  }

  /** A dropped shared-group message gives its group the slot back. */
  @Override
  public void dropped(QueuedMessage m) {
    if (m.group() != null) {
      m.group().release(owner, 1);
    }
  }

  /**
   * Puts back the messages stored for this session ({@code entries}, those not back in flight), in
   * sequence order, and continues numbering after the largest of {@code allStored}.
   */
  void restore(
      List<StoredQueueEntry> entries,
      List<StoredQueueEntry> allStored,
      Function<String, int[]> subscriptionIds) {
    queue.restore(
        entries,
        allStored,
        m -> QueuedMessage.direct(m, m).withSubscriptionIds(subscriptionIds.apply(m.topic())));
  }

  /** See {@link DurableQueue#takesQos0}. */
  boolean takesQos0(boolean receiverAvailable) {
    return queue.takesQos0(receiverAvailable);
  }

  /** See {@link DurableQueue#admit}. */
  DurableQueue.Admission admit(QueuedMessage m, boolean durable) {
    return queue.admit(m, durable);
  }

  /** Appends within the bound; false if the message was dropped (and counted). */
  boolean offer(QueuedMessage m) {
    return queue.offer(m);
  }

  /** See {@link DurableQueue#backlogged}. */
  boolean backlogged() {
    return queue.backlogged();
  }

  /** Forgets the durable copy of a message that left for good (settled or dropped). */
  void forget(QueuedMessage m) {
    queue.forget(m);
  }

  /** Appends without the bound: a shared group sized its hand-over by our window. */
  void addLast(QueuedMessage m) {
    queue.addLast(m);
  }

  /** Puts messages back at the head, keeping their order. */
  void addFirst(List<QueuedMessage> messages) {
    queue.addFirst(messages);
  }

  /** The head after dropping expired messages (counted), or null when empty. */
  QueuedMessage peekUnexpired(Instant now) {
    return queue.peekUnexpired(now);
  }

  QueuedMessage poll() {
    return queue.poll();
  }

  int size() {
    return queue.size();
  }

  /** Hands every shared-group message back to its group. */
  void returnGroupMessages() {
    Map<GroupLink, List<QueuedMessage>> byGroup = new LinkedHashMap<>();
    for (QueuedMessage m : queue.takeAll(m -> m.group() != null)) {
      byGroup.computeIfAbsent(m.group(), g -> new ArrayList<>()).add(m);
    }
    byGroup.forEach((g, list) -> g.giveBack(owner, list));
  }

  /** The session ended: shared messages go back, the rest and the durable queue are dropped. */
  void close() {
    returnGroupMessages();
    queue.close();
  }

  @Override
  public String toString() {
    return owner + " queue";
  }
}
