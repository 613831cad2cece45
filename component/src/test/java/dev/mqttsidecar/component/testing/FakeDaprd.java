package dev.mqttsidecar.component.testing;

import dapr.proto.components.v1.PubSubGrpc;
import dapr.proto.components.v1.Pubsub;
import dapr.proto.components.v1.QueriableStateStoreGrpc;
import dapr.proto.components.v1.State;
import dapr.proto.components.v1.StateStoreGrpc;
import dapr.proto.components.v1.TransactionalStateStoreGrpc;
import dapr.proto.components.v1.TransactionalStoreMultiMaxSizeGrpc;
import io.dapr.v1.ComponentProtos;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1alpha.ServerReflectionGrpc;
import io.grpc.reflection.v1alpha.ServerReflectionRequest;
import io.grpc.reflection.v1alpha.ServerReflectionResponse;
import io.grpc.reflection.v1alpha.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Talks to the sidecar the way daprd does (dapr/dapr pkg/components/pluggable): a plain insecure
 * gRPC channel over the Unix socket, discovery through reflection v1alpha {@code ListServices}, and
 * the {@code x-component-instance} header with the Component's {@code metadata.name} on every call,
 * then {@code Init(spec.metadata)} followed by {@code Features}.
 */
public final class FakeDaprd implements AutoCloseable {
  public static final Metadata.Key<String> INSTANCE_HEADER =
      Metadata.Key.of("x-component-instance", Metadata.ASCII_STRING_MARSHALLER);

  private final EventLoopGroup group;
  private final ManagedChannel channel;

  public FakeDaprd(Path socket) {
    group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .eventLoopGroup(group)
            .channelType(EpollDomainSocketChannel.class)
            .usePlaintext()
            .build();
  }

  /** The raw channel, for calls a test builds itself. */
  public Channel channel() {
    return channel;
  }

  /**
   * Service names the socket advertises through reflection v1alpha, as daprd's discovery sees them.
   */
  public List<String> listServices() throws Exception {
    CompletableFuture<List<String>> result = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse response) {
                    result.complete(
                        response.getListServicesResponse().getServiceList().stream()
                            .map(ServiceResponse::getName)
                            .toList());
                  }

                  @Override
                  public void onError(Throwable t) {
                    result.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    result.completeExceptionally(
                        new IllegalStateException("no ListServices response"));
                  }
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    try {
      return result.get(10, TimeUnit.SECONDS);
    } finally {
      requests.onCompleted();
    }
  }

  /** A channel that stamps every call with {@code x-component-instance: name}. */
  public Channel instance(String name) {
    return ClientInterceptors.intercept(channel, new InstanceInterceptor(name));
  }

  public PubSubGrpc.PubSubBlockingStub pubSub(String instance) {
    return PubSubGrpc.newBlockingStub(instance(instance)).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public PubSubGrpc.PubSubStub pubSubAsync(String instance) {
    return PubSubGrpc.newStub(instance(instance));
  }

  public StateStoreGrpc.StateStoreBlockingStub state(String instance) {
    return StateStoreGrpc.newBlockingStub(instance(instance))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public TransactionalStateStoreGrpc.TransactionalStateStoreBlockingStub transactions(
      String instance) {
    return TransactionalStateStoreGrpc.newBlockingStub(instance(instance))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public QueriableStateStoreGrpc.QueriableStateStoreBlockingStub query(String instance) {
    return QueriableStateStoreGrpc.newBlockingStub(instance(instance))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public TransactionalStoreMultiMaxSizeGrpc.TransactionalStoreMultiMaxSizeBlockingStub multiMaxSize(
      String instance) {
    return TransactionalStoreMultiMaxSizeGrpc.newBlockingStub(instance(instance))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** daprd's pub/sub start-up for one Component: Init with spec.metadata, then Features. */
  public List<String> initPubSub(ComponentYaml component) {
    PubSubGrpc.PubSubBlockingStub stub =
        pubSub(component.name()).withDeadlineAfter(5, TimeUnit.SECONDS);
    stub.init(
        Pubsub.PubSubInitRequest.newBuilder()
            .setMetadata(
                ComponentProtos.MetadataRequest.newBuilder().putAllProperties(component.metadata()))
            .build());
    return stub.features(ComponentProtos.FeaturesRequest.getDefaultInstance()).getFeaturesList();
  }

  /** daprd's state store start-up for one Component: Init with spec.metadata, then Features. */
  public List<String> initState(ComponentYaml component) {
    StateStoreGrpc.StateStoreBlockingStub stub =
        state(component.name()).withDeadlineAfter(5, TimeUnit.SECONDS);
    stub.init(
        State.InitRequest.newBuilder()
            .setMetadata(
                ComponentProtos.MetadataRequest.newBuilder().putAllProperties(component.metadata()))
            .build());
    return stub.features(ComponentProtos.FeaturesRequest.getDefaultInstance()).getFeaturesList();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }

  private record InstanceInterceptor(String name) implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(
        MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          headers.put(INSTANCE_HEADER, name);
          super.start(listener, headers);
        }
      };
    }
  }
}
