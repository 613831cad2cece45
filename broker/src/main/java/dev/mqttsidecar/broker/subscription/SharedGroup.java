package dev.mqttsidecar.broker.subscription;

import dev.mqttsidecar.broker.BrokerConfig.QueueOverflow;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.concurrent.SerialExecutor;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import dev.mqttsidecar.broker.session.GroupLink;
import dev.mqttsidecar.broker.session.QueueContext;
import dev.mqttsidecar.broker.session.QueuedMessage;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SubscriptionOptions;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared subscription {@code $share/<group>/<filter>} [MQTT-4.8.2]: each message goes to one
 * online member, round robin among members with free in-flight capacity. The group owns the queue,
 * so messages wait here while all members are busy or offline-but-persistent, and a member's
 * unsettled messages come back here when it leaves.
 */
public final class SharedGroup implements GroupLink {
  private static final Logger log = LoggerFactory.getLogger(SharedGroup.class);

  /** Durable queue ids of groups; session keys (client ids) cannot contain U+0000. */
  public static final String QUEUE_ID_PREFIX = "\u0000share/";

  private static final class Member {
    final Session session;
    volatile SubscriptionOptions options;
    volatile boolean online;
    int assigned; // group-executor confined

    Member(Session session, SubscriptionOptions options) {
      this.session = session;
      this.options = options;
      this.online = session.isOnline();
    }
  }

  private final String name;
  private final TopicFilter filter;
  private final QueueContext ctx;
  private final SerialExecutor executor;
  private final List<Member> members = new CopyOnWriteArrayList<>();
  private final Map<Session, Member> bySession = new ConcurrentHashMap<>();
  private final ArrayDeque<QueuedMessage> queue = new ArrayDeque<>(); // executor-confined
  private int cursor; // executor-confined
  private long lastSequence; // executor-confined
  private final String queueId;
  private volatile boolean closed;

  public SharedGroup(String name, TopicFilter filter, QueueContext ctx) {
    this.name = name;
    this.filter = filter;
    this.ctx = ctx;
    this.executor = new SerialExecutor(ctx.workers());
    this.queueId = QUEUE_ID_PREFIX + name + "/" + filter.filter();
  }

  /** The id of this group's durable queue. */
  public String queueId() {
    return queueId;
  }

  public String name() {
    return name;
  }

  public TopicFilter filter() {
    return filter;
  }

  /** Called under the index lock. Returns true if the session was not a member before. */
  boolean addMember(Session session, SubscriptionOptions options) {
    Member existing = bySession.get(session);
    if (existing != null) {
      existing.options = options;
      return false;
    }
    Member m = new Member(session, options);
    bySession.put(session, m);
    members.add(m);
    executor.execute(this::pump);
    return true;
  }

  /** Called under the index lock. */
  boolean removeMember(Session session) {
    Member m = bySession.remove(session);
    if (m == null) {
      return false;
    }
    members.remove(m);
    return true;
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  /**
   * Puts back the group's stored queue at start (messages that were with a member and unsettled are
   * among them and go out again), continuing the numbering after the largest sequence.
   */
  public void restore(List<StoredQueueEntry> entries) {
    List<StoredQueueEntry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(StoredQueueEntry::sequence));
    executor.execute(
        () -> {
          for (StoredQueueEntry e : sorted) {
            QueuedMessage m = new QueuedMessage(e.message(), e.message(), this, 0);
            m.storedAt(queueId, e.sequence());
            if (e.contentInStore()) {
              m.contentLeftInStore();
            }
            queue.addLast(m);
            lastSequence = Math.max(lastSequence, e.sequence());
          }
          pump();
        });
  }

  /** The group is gone from the index: drop what it queued. */
  void close() {
    closed = true;
    executor.execute(
        () -> {
          queue.clear();
          if (lastSequence != 0) {
            ctx.queues().drop(queueId);
          }
        });
  }

  /**
   * Offers a published message to the group. Completes once it is queued (or dropped and counted)
   * and, while a member's session outlives its connection, once the group's durable copy is stored.
   * Completes with true if the group's full queue dropped the message.
   */
  public CompletableFuture<Boolean> offer(Message published) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    executor.execute(
        () -> {
          CompletableFuture<Void> stored = null;
          boolean[] overflowed = {false};
          try {
            stored = offerNow(published, overflowed);
          } finally {
            if (stored == null) {
              done.complete(overflowed[0]);
            } else {
              stored.whenComplete(
                  (v, e) -> {
                    if (e == null) {
                      done.complete(false);
                    } else {
                      done.completeExceptionally(e);
                    }
                  });
            }
          }
        });
    return done;
  }

  /**
   * Queues (and maybe stores) a message; returns the storage future or null. Sets {@code
   * overflowed[0]} when the full queue dropped it.
   */
  private CompletableFuture<Void> offerNow(Message published, boolean[] overflowed) {
    if (closed) {
      return null;
    }
    if (published.qos() == Qos.AT_MOST_ONCE) {
      Member m = nextMember(false);
      if (m == null) {
        ctx.counters().countQos0Dropped();
      } else {
        m.session.enqueue(
            QueuedMessage.direct(published, deliveredTo(m, published)).withSubscriptionIds(ids(m)));
      }
      return null;
    }
    if (queue.size() >= ctx.maxQueued()) {
      ctx.counters().countOverflow();
      if (ctx.overflow() == QueueOverflow.DROP_NEWEST) {
        overflowed[0] = true;
        return null;
      }
      QueuedMessage dropped = queue.pollFirst();
      if (dropped != null) {
        dropped.forgetStored(ctx.queues());
      }
    }
    QueuedMessage m = new QueuedMessage(published, published, this, 0);
    queue.addLast(m);
    CompletableFuture<Void> stored = null;
    if (isDurable()) {
      m.storedAt(queueId, ++lastSequence);
      stored = ctx.queues().append(queueId, lastSequence, published);
      if (backlogged()) { // a group whose members keep up pays no extra task per message
        stored.thenRun(() -> executor.execute(() -> m.spill()));
      }
    }
    pump();
    return stored;
  }

  /**
   * Whether a message queued now will wait (no member online, or a long queue): then, once its
   * durable copy is stored, its payload and properties leave memory until it is handed out.
   * Spilling one that was handed out meanwhile is harmless: members get their own copy.
   */
  private boolean backlogged() {
    return (queue.size() > QueuedMessage.IN_MEMORY_HEAD
            || members.stream().noneMatch(x -> x.online))
        && ctx.queues().readable();
  }

  /** Durable while any member's session outlives its connection. */
  private boolean isDurable() {
    for (Member m : members) {
      if (!m.session.expiry().isZero()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void release(Session member, int count) {
    executor.execute(
        () -> {
          Member m = bySession.get(member);
          if (m != null) {
            m.assigned = Math.max(0, m.assigned - count);
          }
          pump();
        });
  }

  @Override
  public void requeueFront(List<QueuedMessage> messages) {
    executor.execute(
        () -> {
          if (closed) {
            return;
          }
          for (int i = messages.size() - 1; i >= 0; i--) {
            QueuedMessage m = messages.get(i);
            queue.addFirst(m.redirect(m.published(), this)); // keeps count and durable copy
          }
          pump();
        });
  }

  @Override
  public void memberOnline(Session member) {
    Member m = bySession.get(member);
    if (m != null) {
      m.online = true;
    }
    executor.execute(this::pump);
  }

  @Override
  public void memberOffline(Session member) {
    Member m = bySession.get(member);
    if (m != null) {
      m.online = false;
    }
  }

  private void pump() {
    Instant now = ctx.clock().instant();
    while (!queue.isEmpty() && !closed) {
      QueuedMessage head = queue.peekFirst();
      if (head.published().isExpired(now)) {
        queue.pollFirst();
        head.forgetStored(ctx.queues());
        ctx.counters().countExpired();
        continue;
      }
      if (!head.load(ctx.queues())) {
        queue.pollFirst();
        log.warn("{}: queued message {} is gone from the store", queueId, head.sequence());
        continue;
      }
      Member m = nextMember(true);
      if (m == null) {
        return;
      }
      queue.pollFirst();
      m.assigned++;
      Message delivered = deliveredTo(m, head.published());
      if (delivered.qos() == Qos.AT_MOST_ONCE) {
        m.assigned--; // a QoS 0 member settles on send
        head.forgetStored(ctx.queues());
        m.session.enqueue(
            QueuedMessage.direct(head.published(), delivered).withSubscriptionIds(ids(m)));
      } else {
        // The durable copy stays in the group's queue until the member settles the message.
        m.session.offerFromGroup(head.redirect(delivered, this).withSubscriptionIds(ids(m)));
      }
    }
  }

  /** Round robin over online members; with {@code needCapacity}, only members with a free slot. */
  private Member nextMember(boolean needCapacity) {
    int n = members.size();
    for (int i = 0; i < n; i++) {
      int idx = Math.floorMod(cursor + i, n);
      Member m;
      try {
        m = members.get(idx);
      } catch (IndexOutOfBoundsException e) {
        return null; // membership changed under us; the next pump retries
      }
      if (m.online && !m.session.isEnded() && (!needCapacity || m.assigned < m.session.window())) {
        cursor = idx + 1;
        return m;
      }
    }
    return null;
  }

  /** The member's Subscription Identifier, sent with what it receives [MQTT-3.3.4-3]. */
  private static int[] ids(Member m) {
    int id = m.options.subscriptionId();
    return id > 0 ? new int[] {id} : new int[0];
  }

  private static Message deliveredTo(Member m, Message published) {
    SubscriptionOptions o = m.options;
    Message d = published.withQos(Qos.min(published.qos(), o.qos())); // [MQTT-3.8.4-8]
    return o.retainAsPublished() ? d : d.withRetain(false);
  }

  @Override
  public String toString() {
    return "SharedGroup[" + name + "/" + filter.filter() + "]";
  }
}
