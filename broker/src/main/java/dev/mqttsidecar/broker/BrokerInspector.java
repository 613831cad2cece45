package dev.mqttsidecar.broker;

import java.util.List;
import java.util.Map;

/** A read-only look into a running broker, for operators' tools such as the web console. */
public interface BrokerInspector {

  /**
   * The current statistics by {@code $SYS/broker/} topic suffix: the same values $SYS publishes.
   */
  Map<String, String> statistics();

  /**
   * Up to {@code limit} sessions (connected, offline persistent and in-process) whose key sorts
   * after {@code after}, in key order: a page that costs one pass over the sessions and memory for
   * the page only.
   *
   * @param after the last key of the previous page, or "" for the first page
   */
  List<SessionInfo> sessions(String after, int limit);

  /**
   * Messages waiting in all sessions' queues and sent but not yet acknowledged, summed in one pass;
   * a session too busy to answer within a short deadline is left out of the sum.
   */
  QueueDepths queueDepths();

  /** Totals of {@link #queueDepths()}. */
  record QueueDepths(long queued, long inflight) {}
}
