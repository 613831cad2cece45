package dev.mqttsidecar.state.grpc;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import dapr.proto.components.v1.QueriableStateStoreGrpc;
import dapr.proto.components.v1.State;
import dapr.proto.components.v1.StateStoreGrpc;
import dapr.proto.components.v1.TransactionalStateStoreGrpc;
import dapr.proto.components.v1.TransactionalStoreMultiMaxSizeGrpc;
import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.dapr.InstanceKey;
import io.dapr.v1.ComponentProtos;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The state store's services on an in-process gRPC server, routed by {@code x-component-instance}
 * the way the sidecar routes them, and clients that call as daprd does.
 */
final class GrpcHarness implements AutoCloseable {
  static final Metadata.Key<String> INSTANCE_HEADER =
      Metadata.Key.of("x-component-instance", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> INSTANCE = Context.key("instance");
  private static final int MAX_MESSAGE = 16 * 1024 * 1024;

  private final StateStoreComponent component;
  private final Server server;
  private final ManagedChannel channel;

  GrpcHarness(Broker broker, Clock clock) throws IOException {
    component = new StateStoreComponent(broker, () -> new InstanceKey("", INSTANCE.get()), clock);
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder =
        InProcessServerBuilder.forName(name).maxInboundMessageSize(MAX_MESSAGE);
    ServerInterceptor routing =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            String instance = headers.get(INSTANCE_HEADER);
            Context ctx = Context.current().withValue(INSTANCE, instance == null ? "" : instance);
            return Contexts.interceptCall(ctx, call, headers, next);
          }
        };
    component.services().forEach(s -> builder.addService(ServerInterceptors.intercept(s, routing)));
    server = builder.build().start();
    channel = InProcessChannelBuilder.forName(name).maxInboundMessageSize(MAX_MESSAGE).build();
  }

  /** Clients for one instance, as daprd calls them for one Component YAML. */
  Client client(String instance) {
    Metadata md = new Metadata();
    md.put(INSTANCE_HEADER, instance);
    var headers = MetadataUtils.newAttachHeadersInterceptor(md);
    return new Client(
        StateStoreGrpc.newBlockingStub(channel).withInterceptors(headers),
        TransactionalStateStoreGrpc.newBlockingStub(channel).withInterceptors(headers),
        QueriableStateStoreGrpc.newBlockingStub(channel).withInterceptors(headers),
        TransactionalStoreMultiMaxSizeGrpc.newBlockingStub(channel).withInterceptors(headers));
  }

  /** Initialises an instance and returns its client. */
  Client init(String instance, Map<String, String> properties) {
    Client c = client(instance);
    c.state()
        .init(
            State.InitRequest.newBuilder()
                .setMetadata(
                    ComponentProtos.MetadataRequest.newBuilder().putAllProperties(properties))
                .build());
    return c;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
    component.close();
  }

  record Client(
      StateStoreGrpc.StateStoreBlockingStub state,
      TransactionalStateStoreGrpc.TransactionalStateStoreBlockingStub tx,
      QueriableStateStoreGrpc.QueriableStateStoreBlockingStub query,
      TransactionalStoreMultiMaxSizeGrpc.TransactionalStoreMultiMaxSizeBlockingStub multiMax) {

    String set(String key, String value) {
      state.set(setRequest(key, value).build());
      return etagOf(key);
    }

    State.GetResponse get(String key) {
      return state.get(State.GetRequest.newBuilder().setKey(key).build());
    }

    String etagOf(String key) {
      return get(key).getEtag().getValue();
    }

    String text(String key) {
      return get(key).getData().toStringUtf8();
    }
  }

  static State.SetRequest.Builder setRequest(String key, String value) {
    return State.SetRequest.newBuilder().setKey(key).setValue(utf8(value));
  }

  static State.DeleteRequest.Builder deleteRequest(String key) {
    return State.DeleteRequest.newBuilder().setKey(key);
  }

  static State.Etag etag(String value) {
    return State.Etag.newBuilder().setValue(value).build();
  }

  static ByteString utf8(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  static State.TransactionalStateOperation txSet(String key, String value) {
    return State.TransactionalStateOperation.newBuilder().setSet(setRequest(key, value)).build();
  }

  static State.TransactionalStateOperation txDelete(String key) {
    return State.TransactionalStateOperation.newBuilder().setDelete(deleteRequest(key)).build();
  }

  static State.StateOptions firstWrite() {
    return State.StateOptions.newBuilder()
        .setConcurrency(State.StateOptions.StateConcurrency.CONCURRENCY_FIRST_WRITE)
        .setConsistency(State.StateOptions.StateConsistency.CONSISTENCY_STRONG)
        .build();
  }

  /**
   * Asserts daprd's ETag error shape (contract section 1): the code, and exactly one detail, a
   * BadRequest with exactly one field violation on "etag".
   */
  static void assertEtagError(StatusRuntimeException e, Status.Code code) {
    if (e.getStatus().getCode() != code) {
      throw new AssertionError("expected " + code + " but was " + e.getStatus(), e);
    }
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null
        || status.getDetailsCount() != 1
        || !status.getDetails(0).is(BadRequest.class)) {
      throw new AssertionError("expected exactly one BadRequest detail, was " + status);
    }
    try {
      BadRequest bad = status.getDetails(0).unpack(BadRequest.class);
      if (bad.getFieldViolationsCount() != 1
          || !bad.getFieldViolations(0).getField().equals("etag")) {
        throw new AssertionError("expected one field violation on etag, was " + bad);
      }
    } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
      throw new AssertionError(ex);
    }
  }
}
