package dev.mqttsidecar.broker.subscription;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.concurrent.SerialExecutor;
import dev.mqttsidecar.broker.persistence.StoredQueueEntry;
import dev.mqttsidecar.broker.session.DeliveryOptions;
import dev.mqttsidecar.broker.session.DurableQueue;
import dev.mqttsidecar.broker.session.DurableQueue.Admission;
import dev.mqttsidecar.broker.session.GroupLink;
import dev.mqttsidecar.broker.session.QueueContext;
import dev.mqttsidecar.broker.session.QueuedMessage;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SubscriptionOptions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A shared subscription {@code $share/<group>/<filter>} [MQTT-4.8.2]: each message goes to one
 * online member, round robin among members with free in-flight capacity. The group owns the queue,
 * so messages wait here while all members are busy or offline-but-persistent, and a member's
 * unsettled messages come back here when it leaves.
 */
public final class SharedGroup implements GroupLink {
  /** Durable queue ids of groups; session keys (client ids) cannot contain U+0000. */
  public static final String QUEUE_ID_PREFIX = "\u0000share/";

  private static final class Member {
    final Session session;
    volatile DeliveryOptions delivery;
    volatile boolean online;
    int assigned; // group-executor confined

    Member(Session session, SubscriptionOptions options) {
      this.session = session;
      this.delivery = DeliveryOptions.of(options);
      this.online = session.isOnline();
    }
  }

  private final String name;
  private final TopicFilter filter;
  private final QueueContext ctx;
  private final SerialExecutor executor;
  private final List<Member> members = new CopyOnWriteArrayList<>();
  private final Map<Session, Member> bySession = new ConcurrentHashMap<>();
  private final DurableQueue queue; // executor-confined
  private int cursor; // executor-confined
  private final String queueId;
  private volatile boolean closed;

  public SharedGroup(String name, TopicFilter filter, QueueContext ctx) {
    this.name = name;
    this.filter = filter;
    this.ctx = ctx;
    this.executor = new SerialExecutor(ctx.workers());
    this.queueId = QUEUE_ID_PREFIX + name + "/" + filter.filter();
    this.queue = new DurableQueue(queueId, ctx, executor, this::anyMemberOnline);
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
      existing.delivery = DeliveryOptions.of(options);
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
    List<StoredQueueEntry> copy = List.copyOf(entries);
    executor.execute(
        () -> {
          queue.restore(copy, copy, m -> new QueuedMessage(m, m, this, 0));
          pump();
        });
  }

  /** The group is gone from the index: drop what it queued. */
  void close() {
    closed = true;
    executor.execute(queue::close);
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
          Admission admitted = Admission.NOT_STORED;
          try {
            admitted = offerNow(published);
          } finally {
            admitted.acknowledge(done);
          }
        });
    return done;
  }

  private Admission offerNow(Message published) {
    if (closed) {
      return Admission.NOT_STORED;
    }
    if (published.qos() == Qos.AT_MOST_ONCE) { // never waits here: to a member now, or dropped
      Member m = nextMember(false);
      if (queue.takesQos0(m != null)) {
        m.session.enqueue(m.delivery.queueForwarded(published));
      }
      return Admission.NOT_STORED;
    }
    Admission admitted = queue.admit(new QueuedMessage(published, published, this, 0), isDurable());
    if (!admitted.overflowed()) {
      pump();
    }
    return admitted;
  }

  /** Whether any member is online; with none, queued messages wait (and spill once stored). */
  private boolean anyMemberOnline() {
    return members.stream().anyMatch(x -> x.online);
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
          // The same messages, for any member: keeps delivery counts and durable copies.
          queue.addFirst(messages.stream().map(m -> m.redirect(m.published(), this)).toList());
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
    while (!closed) {
      QueuedMessage head = queue.peekUnexpired(now);
      if (head == null) {
        return;
      }
      Member m = nextMember(true);
      if (m == null) {
        return;
      }
      queue.poll();
      m.assigned++;
      Message delivered = m.delivery.forwarded(head.published());
      int[] ids = m.delivery.subscriptionIds(); // [MQTT-3.3.4-3]
      if (delivered.qos() == Qos.AT_MOST_ONCE) {
        m.assigned--; // a QoS 0 member settles on send
        queue.forget(head);
        m.session.enqueue(
            QueuedMessage.direct(head.published(), delivered).withSubscriptionIds(ids));
      } else {
        // The durable copy stays in the group's queue until the member settles the message.
        m.session.offerFromGroup(head.redirect(delivered, this).withSubscriptionIds(ids));
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

  @Override
  public String toString() {
    return "SharedGroup[" + name + "/" + filter.filter() + "]";
  }
}
