package dev.mqttsidecar.broker.session;

import java.util.function.Consumer;

/**
 * Messages a session takes a batch at a time, only while it has room for them (see {@link
 * Session#replay}): the retained messages a new subscription receives. Read on the session's
 * executor.
 */
@FunctionalInterface
public interface Backlog {
  /**
   * Hands the next messages to {@code out}: up to {@code maxCount}, and no more payload bytes than
   * {@code maxBytes} unless the first message alone is larger.
   *
   * @return false once nothing is left (this call may have handed out some)
   */
  boolean next(int maxCount, long maxBytes, Consumer<QueuedMessage> out);
}
