package dev.mqttsidecar.state.grpc;

import dapr.proto.components.v1.State;
import dapr.proto.components.v1.TransactionalStateStoreGrpc;
import dev.mqttsidecar.dapr.InstanceRegistry;
import dev.mqttsidecar.state.RetainedStateStore;
import dev.mqttsidecar.state.StateException;
import dev.mqttsidecar.state.StateOp;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * Dapr's {@code TransactionalStateStore}: all operations in order, atomically and durably, as one
 * conditional multi-write of the broker's retained store.
 */
final class TransactionalService
    extends TransactionalStateStoreGrpc.TransactionalStateStoreImplBase {
  private final InstanceRegistry<RetainedStateStore> instances;

  TransactionalService(InstanceRegistry<RetainedStateStore> instances) {
    this.instances = instances;
  }

  @Override
  public void transact(
      State.TransactionalStateRequest request,
      StreamObserver<State.TransactionalStateResponse> observer) {
    Calls.replyLater(
        observer,
        () -> {
          RetainedStateStore store = instances.current();
          int max = store.config().maxTransactionOperations();
          if (request.getOperationsCount() > max) {
            throw StateException.invalid(
                "transaction has "
                    + request.getOperationsCount()
                    + " operations, more than maxTransactionOperations "
                    + max);
          }
          List<StateOp> ops = new ArrayList<>(request.getOperationsCount());
          for (State.TransactionalStateOperation op : request.getOperationsList()) {
            ops.add(ProtoMapping.op(op));
          }
          return store
              .apply(ops)
              .thenApply(
                  StateStoreService.orThrow(State.TransactionalStateResponse.getDefaultInstance()));
        });
  }
}
