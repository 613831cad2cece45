package dev.mqttsidecar.component.pubsub;

import dapr.proto.components.v1.PubSubGrpc;
import dapr.proto.components.v1.Pubsub;
import dev.mqttsidecar.dapr.InstanceRegistry;
import dev.mqttsidecar.dapr.InvalidMetadataException;
import io.dapr.v1.ComponentProtos;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Dapr {@code PubSub} gRPC service: translates calls to the addressed instance and back. */
final class PubSubService extends PubSubGrpc.PubSubImplBase {
  private static final Logger log = LoggerFactory.getLogger(PubSubService.class);

  private final InstanceRegistry<PubSubInstance> instances;
  private final Function<PubSubSettings, PubSubInstance> factory;

  /**
   * @param factory creates the instance for the current call's name from validated settings
   */
  PubSubService(
      InstanceRegistry<PubSubInstance> instances,
      Function<PubSubSettings, PubSubInstance> factory) {
    this.instances = instances;
    this.factory = factory;
  }

  @Override
  public void init(
      Pubsub.PubSubInitRequest request, StreamObserver<Pubsub.PubSubInitResponse> response) {
    PubSubSettings settings;
    try {
      settings = PubSubSettings.parse(request.getMetadata().getPropertiesMap());
      instances.putCurrent(factory.apply(settings));
    } catch (InvalidMetadataException e) {
      response.onError(GrpcStatuses.of(e).asRuntimeException());
      return;
    }
    log.info("pub/sub instance '{}' initialised: {}", instances.currentName(), settings);
    response.onNext(Pubsub.PubSubInitResponse.getDefaultInstance());
    response.onCompleted();
  }

  @Override
  public void features(
      ComponentProtos.FeaturesRequest request,
      StreamObserver<ComponentProtos.FeaturesResponse> response) {
    if (current(response) == null) {
      return;
    }
    response.onNext(
        ComponentProtos.FeaturesResponse.newBuilder()
            .addAllFeatures(PubSubInstance.FEATURES)
            .build());
    response.onCompleted();
  }

  @Override
  public void publish(
      Pubsub.PublishRequest request, StreamObserver<Pubsub.PublishResponse> response) {
    PubSubInstance instance = current(response);
    if (instance == null) {
      return;
    }
    instance
        .publisher()
        .publish(
            request.getTopic(),
            request.getData().toByteArray(),
            request.getContentType(),
            request.getMetadataMap())
        .thenAccept(
            outcome -> {
              if (outcome.ok()) {
                response.onNext(Pubsub.PublishResponse.getDefaultInstance());
                response.onCompleted();
              } else {
                response.onError(GrpcStatuses.of(outcome).asRuntimeException());
              }
            });
  }

  @Override
  public void bulkPublish(
      Pubsub.BulkPublishRequest request, StreamObserver<Pubsub.BulkPublishResponse> response) {
    PubSubInstance instance = current(response);
    if (instance == null) {
      return;
    }
    int maxEntries = instance.settings().maxBulkPublishEntries();
    if (request.getEntriesCount() > maxEntries) {
      response.onError(
          Status.INVALID_ARGUMENT
              .withDescription(
                  "BulkPublish of "
                      + request.getEntriesCount()
                      + " entries is over this component's maxBulkPublishEntries ("
                      + maxEntries
                      + ")")
              .asRuntimeException());
      return;
    }
    // Issued in order without waiting: the broker queues each message before publish returns.
    List<CompletableFuture<PublishOutcome>> outcomes = new ArrayList<>(request.getEntriesCount());
    for (Pubsub.BulkMessageEntry entry : request.getEntriesList()) {
      Map<String, String> metadata = new HashMap<>(request.getMetadataMap());
      metadata.putAll(entry.getMetadataMap());
      outcomes.add(
          instance
              .publisher()
              .publish(
                  request.getTopic(),
                  entry.getEvent().toByteArray(),
                  entry.getContentType(),
                  metadata));
    }
    CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
        .thenRun(
            () -> {
              Pubsub.BulkPublishResponse.Builder reply = Pubsub.BulkPublishResponse.newBuilder();
              for (int i = 0; i < outcomes.size(); i++) {
                PublishOutcome outcome = outcomes.get(i).join();
                if (!outcome.ok()) {
                  reply.addFailedEntries(
                      Pubsub.BulkPublishResponseFailedEntry.newBuilder()
                          .setEntryId(request.getEntries(i).getEntryId())
                          .setError(GrpcStatuses.of(outcome).getCode() + ": " + outcome.detail()));
                }
              }
              response.onNext(reply.build());
              response.onCompleted();
            });
  }

  @Override
  public StreamObserver<Pubsub.PullMessagesRequest> pullMessages(
      StreamObserver<Pubsub.PullMessagesResponse> response) {
    PubSubInstance instance = current(response);
    if (instance == null) {
      return new DiscardingObserver<>();
    }
    return instance.openStream((ServerCallStreamObserver<Pubsub.PullMessagesResponse>) response);
  }

  @Override
  public void pause(Pubsub.PauseRequest request, StreamObserver<Pubsub.PauseResponse> response) {
    PubSubInstance instance = current(response);
    if (instance != null) {
      instance.pause();
      response.onNext(Pubsub.PauseResponse.getDefaultInstance());
      response.onCompleted();
    }
  }

  @Override
  public void resume(Pubsub.ResumeRequest request, StreamObserver<Pubsub.ResumeResponse> response) {
    PubSubInstance instance = current(response);
    if (instance != null) {
      instance.resume();
      response.onNext(Pubsub.ResumeResponse.getDefaultInstance());
      response.onCompleted();
    }
  }

  @Override
  public void ping(
      ComponentProtos.PingRequest request, StreamObserver<ComponentProtos.PingResponse> response) {
    if (current(response) != null) {
      response.onNext(ComponentProtos.PingResponse.getDefaultInstance());
      response.onCompleted();
    }
  }

  /** The call's instance, or null after failing the call with FAILED_PRECONDITION. */
  private PubSubInstance current(StreamObserver<?> response) {
    try {
      return instances.current();
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return null;
    }
  }

  private static final class DiscardingObserver<T> implements StreamObserver<T> {
    @Override
    public void onNext(T value) {}

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
