package dev.mqttsidecar.component.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import dapr.proto.components.v1.State;
import dapr.proto.components.v1.StateStoreGrpc;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.component.testing.ComponentYaml;
import dev.mqttsidecar.component.testing.InProcessSidecar;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fake daprd connected to the sidecar's real Unix socket, with the real embedded broker behind it
 * and the store of {@code components-yaml/statestore.yaml} initialised.
 */
abstract class StateSocketTestBase {
  static final String STORE = "mqtt-state";

  @TempDir Path folder;
  InProcessSidecar sidecar;
  StateStoreGrpc.StateStoreBlockingStub state;

  /** The broker the sidecar runs: default settings on a free port, unless a test class says. */
  BrokerConfig brokerConfig() {
    return BrokerConfig.builder().port(0).build();
  }

  @BeforeEach
  void start() throws Exception {
    sidecar = InProcessSidecar.start(folder, brokerConfig());
    ComponentYaml yaml = ComponentYaml.read(ComponentYaml.FOLDER.resolve("statestore.yaml"));
    assertThat(yaml.name()).isEqualTo(STORE);
    assertThat(sidecar.daprd().initState(yaml))
        .contains("ETAG", "TRANSACTIONAL", "TTL", "QUERY_API");
    state = sidecar.daprd().state(STORE);
  }

  @AfterEach
  void stop() throws Exception {
    sidecar.close();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static State.Etag etag(String value) {
    return State.Etag.newBuilder().setValue(value).build();
  }

  static Any jsonAny(String json) {
    return Any.newBuilder().setValue(ByteString.copyFromUtf8(json)).build();
  }

  static State.SetRequest setRequest(String key, byte[] value, String etag) {
    State.SetRequest.Builder b =
        State.SetRequest.newBuilder().setKey(key).setValue(ByteString.copyFrom(value));
    if (etag != null) {
      b.setEtag(etag(etag));
    }
    return b.build();
  }

  static State.TransactionalStateOperation setOp(String key, String value) {
    return State.TransactionalStateOperation.newBuilder()
        .setSet(setRequest(key, utf8(value), null))
        .build();
  }

  static State.TransactionalStateOperation delete(String key) {
    return State.TransactionalStateOperation.newBuilder()
        .setDelete(State.DeleteRequest.newBuilder().setKey(key))
        .build();
  }

  void set(String key, byte[] value, String etag) {
    state.set(setRequest(key, value, etag));
  }

  State.GetResponse get(String key) {
    return state.get(State.GetRequest.newBuilder().setKey(key).build());
  }

  /** daprd turns exactly this shape into an ETag error (pkg/components/state/pluggable.go). */
  static void assertEtagError(Runnable call, Status.Code code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              com.google.rpc.Status status = StatusProto.fromThrowable(e);
              assertThat(status).isNotNull();
              assertThat(status.getDetailsList()).hasSize(1);
              assertThat(status.getDetails(0).is(BadRequest.class)).isTrue();
              try {
                BadRequest badRequest = status.getDetails(0).unpack(BadRequest.class);
                assertThat(badRequest.getFieldViolationsList()).hasSize(1);
                assertThat(badRequest.getFieldViolations(0).getField()).isEqualTo("etag");
              } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                throw new AssertionError(ex);
              }
            });
  }
}
