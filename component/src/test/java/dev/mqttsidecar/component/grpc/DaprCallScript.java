package dev.mqttsidecar.component.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dapr.proto.components.v1.PubSubGrpc;
import dapr.proto.components.v1.Pubsub;
import dapr.proto.components.v1.State;
import dapr.proto.components.v1.StateStoreGrpc;
import dev.mqttsidecar.component.testing.FakeDaprd;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads fuzzer bytes as calls daprd makes and makes them through a {@link FakeDaprd}. Each call is
 * a frame: one byte choosing the RPC ({@link Rpc}, modulo their number), two bytes of length (big
 * endian), and that many bytes of the request's protobuf encoding; bytes that are not a valid
 * request skip the frame. An ETag {@code "@"} in Set, Delete or Transact stands for the ETag the
 * last Get or BulkGet returned, which no fuzzer could guess.
 */
final class DaprCallScript {
  static final String PUBSUB = "pubsub";
  static final String STATE = "statestore";

  /** The RPCs a script may make. */
  enum Rpc {
    PUBSUB_INIT,
    PUBLISH,
    BULK_PUBLISH,
    STATE_INIT,
    SET,
    GET,
    DELETE,
    BULK_SET,
    BULK_GET,
    BULK_DELETE,
    TRANSACT,
    QUERY
  }

  /** One call made and how it ended: OK, or the status it failed with. */
  record Outcome(Rpc rpc, Message request, StatusRuntimeException failure) {}

  private static final int MAX_CALLS = 16;
  private static final long DEADLINE_SECONDS = 10;

  private final FakeDaprd daprd;
  private String lastEtag = "";

  DaprCallScript(FakeDaprd daprd) {
    this.daprd = daprd;
  }

  /** Makes the calls {@code script} holds, up to {@value #MAX_CALLS}, in order. */
  List<Outcome> play(byte[] script) {
    List<Outcome> outcomes = new ArrayList<>();
    int i = 0;
    while (i + 3 <= script.length && outcomes.size() < MAX_CALLS) {
      Rpc rpc = Rpc.values()[(script[i] & 0xFF) % Rpc.values().length];
      int length =
          Math.min((script[i + 1] & 0xFF) << 8 | script[i + 2] & 0xFF, script.length - i - 3);
      byte[] request = Arrays.copyOfRange(script, i + 3, i + 3 + length);
      i += 3 + length;
      try {
        outcomes.add(call(rpc, request));
      } catch (InvalidProtocolBufferException notARequest) {
        // skip the frame
      }
    }
    return outcomes;
  }

  private Outcome call(Rpc rpc, byte[] bytes) throws InvalidProtocolBufferException {
    Message request = parse(rpc, bytes);
    try {
      send(rpc, request);
      return new Outcome(rpc, request, null);
    } catch (StatusRuntimeException e) {
      return new Outcome(rpc, request, e);
    }
  }

  private Message parse(Rpc rpc, byte[] b) throws InvalidProtocolBufferException {
    return switch (rpc) {
      case PUBSUB_INIT -> Pubsub.PubSubInitRequest.parseFrom(b);
      case PUBLISH -> Pubsub.PublishRequest.parseFrom(b);
      case BULK_PUBLISH -> Pubsub.BulkPublishRequest.parseFrom(b);
      case STATE_INIT -> State.InitRequest.parseFrom(b);
      case SET -> withLastEtag(State.SetRequest.parseFrom(b));
      case GET -> State.GetRequest.parseFrom(b);
      case DELETE -> withLastEtag(State.DeleteRequest.parseFrom(b));
      case BULK_SET -> State.BulkSetRequest.parseFrom(b);
      case BULK_GET -> State.BulkGetRequest.parseFrom(b);
      case BULK_DELETE -> State.BulkDeleteRequest.parseFrom(b);
      case TRANSACT -> withLastEtag(State.TransactionalStateRequest.parseFrom(b));
      case QUERY -> State.QueryRequest.parseFrom(b);
    };
  }

  private void send(Rpc rpc, Message r) {
    switch (rpc) {
      case PUBSUB_INIT -> pubsub().init((Pubsub.PubSubInitRequest) r);
      case PUBLISH -> pubsub().publish((Pubsub.PublishRequest) r);
      case BULK_PUBLISH -> pubsub().bulkPublish((Pubsub.BulkPublishRequest) r);
      case STATE_INIT -> state().init((State.InitRequest) r);
      case SET -> state().set((State.SetRequest) r);
      case GET -> lastEtag = state().get((State.GetRequest) r).getEtag().getValue();
      case DELETE -> state().delete((State.DeleteRequest) r);
      case BULK_SET -> state().bulkSet((State.BulkSetRequest) r);
      case BULK_GET -> {
        for (State.BulkStateItem item : state().bulkGet((State.BulkGetRequest) r).getItemsList()) {
          lastEtag = item.hasEtag() ? item.getEtag().getValue() : lastEtag;
        }
      }
      case BULK_DELETE -> state().bulkDelete((State.BulkDeleteRequest) r);
      case TRANSACT ->
          daprd
              .transactions(STATE)
              .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
              .transact((State.TransactionalStateRequest) r);
      case QUERY ->
          daprd
              .query(STATE)
              .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
              .query((State.QueryRequest) r);
    }
  }

  private State.SetRequest withLastEtag(State.SetRequest r) {
    return isLast(r.getEtag()) ? r.toBuilder().setEtag(etag()).build() : r;
  }

  private State.DeleteRequest withLastEtag(State.DeleteRequest r) {
    return isLast(r.getEtag()) ? r.toBuilder().setEtag(etag()).build() : r;
  }

  private State.TransactionalStateRequest withLastEtag(State.TransactionalStateRequest r) {
    State.TransactionalStateRequest.Builder b = r.toBuilder();
    for (State.TransactionalStateOperation.Builder op : b.getOperationsBuilderList()) {
      if (op.hasSet()) {
        op.setSet(withLastEtag(op.getSet()));
      } else if (op.hasDelete()) {
        op.setDelete(withLastEtag(op.getDelete()));
      }
    }
    return b.build();
  }

  private static boolean isLast(State.Etag etag) {
    return etag.getValue().equals("@");
  }

  private State.Etag etag() {
    return State.Etag.newBuilder().setValue(lastEtag).build();
  }

  private PubSubGrpc.PubSubBlockingStub pubsub() {
    return daprd.pubSub(PUBSUB).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private StateStoreGrpc.StateStoreBlockingStub state() {
    return daprd.state(STATE).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }
}
