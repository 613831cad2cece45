package dev.mqttsidecar.state.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * A failed state call as a status code name, a message and, for ETag errors, the field daprd's
 * ETagError names: the same status the gRPC services answer, for transports other than gRPC.
 *
 * @param status the gRPC code name, e.g. {@code FAILED_PRECONDITION}
 * @param message what went wrong
 * @param field the {@code google.rpc.BadRequest} field violation's field, or null
 */
public record StateFailure(String status, String message, String field) {

  /** The failure for whatever a state call threw or completed with. */
  public static StateFailure of(Throwable t) {
    StatusRuntimeException e = GrpcErrors.of(t);
    String field = null;
    com.google.rpc.Status detailed = StatusProto.fromThrowable(e);
    if (detailed != null) {
      for (com.google.protobuf.Any detail : detailed.getDetailsList()) {
        if (detail.is(BadRequest.class)) {
          try {
            BadRequest bad = detail.unpack(BadRequest.class);
            if (bad.getFieldViolationsCount() > 0) {
              field = bad.getFieldViolations(0).getField();
            }
          } catch (InvalidProtocolBufferException ignored) {
            // A detail this code packed itself always unpacks.
          }
        }
      }
    }
    String description = e.getStatus().getDescription();
    return new StateFailure(
        e.getStatus().getCode().name(), description == null ? "" : description, field);
  }

  /**
   * The status the gRPC services would have answered: for an ETag failure with its {@code
   * google.rpc.BadRequest} detail, so daprd rebuilds the same ETagError.
   */
  public StatusRuntimeException toStatusException() {
    Status.Code code;
    try {
      code = Status.Code.valueOf(status);
    } catch (IllegalArgumentException e) {
      code = Status.Code.UNKNOWN;
    }
    if (GrpcErrors.ETAG_FIELD.equals(field)) {
      return GrpcErrors.etag(com.google.rpc.Code.forNumber(code.value()), message);
    }
    return Status.fromCode(code).withDescription(message).asRuntimeException();
  }
}
