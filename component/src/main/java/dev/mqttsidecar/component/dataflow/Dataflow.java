package dev.mqttsidecar.component.dataflow;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.MessageProperties;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.UserProperty;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves each message of one dataflow: maps its topic, converts its payload, sends it, and settles
 * it with the source only once the destination accepted it (QoS 1). A message that cannot be mapped
 * or converted, or that the destination refuses for good, is counted, logged and (with a
 * dead-letter topic) published there, and settled: it never holds up the flow. A destination that
 * cannot take a message now (unreachable, full) gets it again after a pause, in order ({@link
 * OrderedSender}). A message that went through too many dataflows already is not forwarded again
 * ({@link HopLimit}).
 */
final class Dataflow {
  private static final Logger log = LoggerFactory.getLogger(Dataflow.class);
  // A payload is JSON only as a whole: "{}x" is not one value.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Duration LOOP_LOG_INTERVAL = Duration.ofMinutes(1);

  private final FlowSettings settings;
  private final OutputFormat format;
  private final OrderedSender sender;
  private final HopLimit hopLimit;
  private final Broker broker;
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong looped = new AtomicLong();
  private final AtomicLong lastLoopLog = new AtomicLong();
  private final AtomicInteger waiting = new AtomicInteger();

  Dataflow(
      FlowSettings settings,
      Destination destination,
      Broker broker,
      ScheduledExecutorService scheduler,
      HopLimit hopLimit) {
    this.settings = settings;
    this.format = OutputFormat.create(settings.formatName(), settings.formatOptions());
    this.sender = new OrderedSender(destination, scheduler);
    this.hopLimit = hopLimit;
    this.broker = broker;
  }

  String name() {
    return settings.name();
  }

  /** Takes one message from the source; {@code ack} runs once it is settled. */
  void handle(FlowMessage message, Acknowledgement ack) {
    waiting.incrementAndGet();
    if (HopLimit.exceeded(message.userProperties())) {
      looped(message);
      settle(ack);
      return;
    }
    FlowMessage out;
    try {
      JsonNode json =
          format.needsJson() || settings.destinationTopic().needsJson()
              ? parse(message.payload())
              : null;
      String topic = settings.destinationTopic().resolve(message.topic(), json);
      out = message.with(topic, format.convert(message.payload(), json), format.contentType());
      out = settings.cloudEvents().apply(out, message.topic(), settings.name());
      out = hopLimit.stamp(out, message.userProperties());
    } catch (FlowMessageException e) {
      failed.incrementAndGet();
      unusable(message, e.getMessage(), ack);
      return;
    }
    send(out, message, ack);
  }

  private static JsonNode parse(byte[] payload) {
    try {
      return JSON.readTree(payload);
    } catch (IOException e) {
      return null; // not JSON: the format or the template says whether that matters
    }
  }

  private void send(FlowMessage out, FlowMessage original, Acknowledgement ack) {
    sender
        .send(out)
        .whenComplete(
            (ok, error) -> {
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause == null) {
                forwarded.incrementAndGet();
                settle(ack);
              } else if (cause instanceof Destination.Refused) {
                refused.incrementAndGet();
                unusable(original, "refused by the destination: " + cause.getMessage(), ack);
              } else if (cause instanceof CancellationException) {
                // Closing: left unsettled, so the source delivers it again after the restart.
                waiting.decrementAndGet();
              } else {
                dropped.incrementAndGet(); // QoS 0: the sender retries only QoS 1
                log.debug("dataflow {}: QoS 0 message dropped: {}", settings.name(), cause);
                settle(ack);
              }
            });
  }

  /** Counted; logged the first time and then at most once a minute, as a loop repeats fast. */
  private void looped(FlowMessage message) {
    long count = looped.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLoopLog.get();
    if ((count == 1 || now - last >= LOOP_LOG_INTERVAL.toNanos())
        && lastLoopLog.compareAndSet(last, now)) {
      log.warn(
          "dataflow {}: message on '{}' not forwarded: it went through {} dataflows already ({}),"
              + " so it is going round a loop through another broker; {} stopped so far",
          settings.name(),
          message.topic(),
          HopLimit.hops(message.userProperties()),
          HopLimit.HOPS,
          count);
    }
  }

  private void settle(Acknowledgement ack) {
    waiting.decrementAndGet();
    ack.ack();
  }

  /** Counted and logged (a few times, then every 1000th), dead-lettered if set, settled. */
  private void unusable(FlowMessage message, String reason, Acknowledgement ack) {
    long count = failed.get() + refused.get();
    if (count <= 10 || count % 1000 == 0) {
      log.warn(
          "dataflow {}: message on '{}' not forwarded ({} so far): {}{}",
          settings.name(),
          message.topic(),
          count,
          reason,
          settings.deadLetterTopic() == null ? "" : "; sent to " + settings.deadLetterTopic());
    }
    if (settings.deadLetterTopic() == null) {
      settle(ack);
      return;
    }
    Message dead =
        new Message(
            settings.deadLetterTopic(),
            message.payload(),
            Qos.AT_LEAST_ONCE,
            false,
            new MessageProperties(
                false,
                message.contentType(),
                null,
                null,
                List.of(
                    new UserProperty("dataflow", settings.name()),
                    new UserProperty("sourceTopic", message.topic()),
                    new UserProperty("error", reason))),
            null);
    broker
        .publish(dead)
        .whenComplete(
            (result, error) -> {
              if (error == null && result.isAccepted()) {
                deadLettered.incrementAndGet();
              } else {
                log.warn(
                    "dataflow {}: dead-letter topic {} refused the message: {}",
                    settings.name(),
                    settings.deadLetterTopic(),
                    error != null ? error : result);
              }
              settle(ack);
            });
  }

  DataflowStatus status() {
    return new DataflowStatus(
        settings.name(),
        forwarded.get(),
        failed.get(),
        refused.get(),
        dropped.get(),
        deadLettered.get(),
        looped.get(),
        waiting.get());
  }
}
