package dev.mqttsidecar.broker.session;

import java.util.List;

/**
 * What a member session needs from a shared subscription group whose messages it holds. Calls may
 * come from any thread; the group serializes them.
 */
public interface GroupLink {

  /** The member settled, dropped or handed back {@code count} of the group's messages. */
  void release(Session member, int count);

  /** Puts messages back at the front of the group queue, for any member. */
  void requeueFront(List<QueuedMessage> messages);

  /** The member can receive again (it attached). */
  void memberOnline(Session member);

  /** The member detached; its session may live on. */
  void memberOffline(Session member);

  /** Hands back messages the member holds and counts them as released. */
  default void giveBack(Session member, List<QueuedMessage> messages) {
    if (!messages.isEmpty()) {
      requeueFront(messages);
      release(member, messages.size());
    }
  }
}
