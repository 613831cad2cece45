package dev.mqttsidecar.component.pubsub;

import dapr.proto.components.v1.Pubsub.PullMessagesResponse;
import dev.mqttsidecar.broker.MessageBus;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * One initialised pub/sub component (one Component YAML, one {@code x-component-instance}): its
 * settings, its publisher and its open streams. Instances share nothing but the broker; their
 * consumer groups are named after the instance, so two instances never compete for messages.
 */
/**
 * One initialised pub/sub component. When a later Init replaces it, its open streams keep running
 * with the settings and consumer group they were opened with: the later Init may come from another
 * daprd sharing the socket, whose subscriptions must not end the first one's (daprd never reopens a
 * stream the component ends).
 */
final class PubSubInstance {
  /** What Features reports: only what this component honours. */
  static final List<String> FEATURES = List.of("SUBSCRIBE_WILDCARDS", "BULK_PUBSUB", "MESSAGE_TTL");

  private final PubSubSettings settings;
  private final Publisher publisher;
  private final StreamContext streamContext;
  private final Set<PullStream> streams = ConcurrentHashMap.newKeySet();
  private final Set<PullStream> allStreams;
  private volatile boolean paused;

  PubSubInstance(
      String name,
      PubSubSettings settings,
      MessageBus broker,
      Executor executor,
      ScheduledExecutorService scheduler,
      Clock clock,
      Function<String, SessionSlots> slotsOfGroup,
      Set<PullStream> allStreams) {
    this.settings = settings;
    TopicMapper topics = new TopicMapper(settings.topicPrefix());
    String group = TopicMapper.shareName(name, settings.consumerId());
    this.publisher = new Publisher(broker, settings, topics, clock);
    this.streamContext =
        new StreamContext(
            broker,
            settings,
            topics,
            new MqttToDapr(settings.attributes(), name, clock),
            new FailedDeliveries(RedeliveryPolicy.of(settings), publisher, topics),
            group,
            slotsOfGroup.apply(group),
            executor,
            scheduler,
            clock,
            () -> paused,
            stream -> {
              streams.remove(stream);
              allStreams.remove(stream);
            });
    this.allStreams = allStreams;
  }

  PubSubSettings settings() {
    return settings;
  }

  Publisher publisher() {
    return publisher;
  }

  /**
   * A new PullMessages stream; it subscribes when its first request arrives and reads then, on its
   * own executor, whether the instance is paused. (Pausing it from here raced with a Resume: the
   * flag read here could be stale by the time the pause ran, leaving the stream paused for good.)
   */
  PullStream openStream(ServerCallStreamObserver<PullMessagesResponse> responses) {
    PullStream stream = new PullStream(streamContext, responses);
    streams.add(stream);
    allStreams.add(stream);
    return stream;
  }

  /** Stops delivery on every stream (daprd's graceful shutdown drains before closing them). */
  void pause() {
    paused = true;
    streams.forEach(PullStream::pause);
  }

  void resume() {
    paused = false;
    streams.forEach(PullStream::resume);
  }
}
