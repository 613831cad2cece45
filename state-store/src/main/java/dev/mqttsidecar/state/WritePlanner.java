package dev.mqttsidecar.state;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.MqttStrings;
import dev.mqttsidecar.broker.RetainedWrite;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns state operations into one list of conditional retained writes, one write per operation in
 * the same order.
 *
 * <p>An ETag names a version the caller has read, so every condition in a transaction is about the
 * state <em>before</em> it. The broker applies writes in order and checks each condition against
 * the result of the earlier ones, so a condition on a key the transaction already wrote is moved to
 * that key's first write (two different conditions on one key can never both hold: a mismatch).
 */
final class WritePlanner {
  private final StateTopics topics;
  private final StoreConfig config;
  private final Clock clock;

  WritePlanner(StateTopics topics, StoreConfig config, Clock clock) {
    this.topics = topics;
    this.config = config;
    this.clock = clock;
  }

  /**
   * @return the writes, in operation order
   * @throws StateException for an invalid operation or conditions that cannot all hold
   */
  List<RetainedWrite> plan(List<? extends StateOp> ops) {
    List<String> writeTopics = new ArrayList<>(ops.size());
    List<Long> expected = new ArrayList<>(ops.size());
    Map<String, Integer> firstWrite = new HashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      StateOp op = ops.get(i);
      String topic = topics.topicOf(op.key());
      long condition = op.precondition().expectedVersion();
      writeTopics.add(topic);
      Integer first = firstWrite.putIfAbsent(topic, i);
      if (first == null) {
        expected.add(condition);
        continue;
      }
      expected.add(RetainedWrite.ANY_VERSION);
      long earlier = expected.get(first);
      if (condition == RetainedWrite.ANY_VERSION || condition == earlier) {
        continue;
      }
      if (earlier != RetainedWrite.ANY_VERSION) {
        throw new StateException(
            new StateError.EtagMismatch(
                op.key(),
                "conflicting etag conditions for key '" + op.key() + "' in one transaction"));
      }
      expected.set(first, condition);
    }
    Instant now = clock.instant();
    List<RetainedWrite> writes = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      writes.add(write(ops.get(i), writeTopics.get(i), expected.get(i), now));
    }
    return writes;
  }

  private RetainedWrite write(StateOp op, String topic, long expectedVersion, Instant now) {
    if (op instanceof StateOp.Put put) {
      return new RetainedWrite(topic, expectedVersion, message(put, topic, now));
    }
    return RetainedWrite.delete(topic, expectedVersion);
  }

  private Message message(StateOp.Put put, String topic, Instant now) {
    int size = put.value().length;
    if (size == 0) {
      // [MQTT-3.3.1-10]: an empty retained payload deletes the retained message.
      throw StateException.invalid(
          "empty value for key '" + put.key() + "': an empty retained message is a deletion");
    }
    if (size > config.maxValueBytes()) {
      throw StateException.invalid(
          "value for key '"
              + put.key()
              + "' is "
              + size
              + " bytes, more than maxValueBytes "
              + config.maxValueBytes());
    }
    String contentType =
        put.contentType() == null || put.contentType().isEmpty() ? null : put.contentType();
    String problem = contentType == null ? null : MqttStrings.problem(contentType);
    if (problem != null) {
      // The retained message goes to MQTT subscribers, who would take it as malformed.
      throw StateException.invalid(
          "content type of key '" + put.key() + "' " + problem + ", which MQTT does not allow");
    }
    MessageProperties properties = MessageProperties.NONE.withContentType(contentType);
    Instant expiresAt = put.ttl().map(now::plus).orElse(null);
    return new Message(topic, put.value(), config.qos(), true, properties, expiresAt);
  }
}
