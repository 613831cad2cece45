package dev.mqttsidecar.state.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import dev.mqttsidecar.state.StateError;
import dev.mqttsidecar.state.StateException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the gRPC statuses daprd understands (docs/dapr-contract.md section 1): an ETag mismatch is
 * FAILED_PRECONDITION and an invalid ETag INVALID_ARGUMENT, each with exactly one detail, a {@code
 * google.rpc.BadRequest} holding exactly one field violation on {@code etag}; daprd turns those
 * into its ETagError (HTTP 409 / 400).
 */
final class GrpcErrors {
  private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);
  static final String ETAG_FIELD = "etag";

  private GrpcErrors() {}

  static StatusRuntimeException of(StateError error) {
    if (error instanceof StateError.EtagMismatch e) {
      return etag(Code.FAILED_PRECONDITION, e.message());
    }
    if (error instanceof StateError.EtagInvalid e) {
      return etag(Code.INVALID_ARGUMENT, e.message());
    }
    if (error instanceof StateError.InvalidArgument e) {
      return Status.INVALID_ARGUMENT.withDescription(e.message()).asRuntimeException();
    }
    if (error instanceof StateError.TooLarge
        || error instanceof StateError.Busy
        || error instanceof StateError.QuotaExceeded) {
      return Status.RESOURCE_EXHAUSTED.withDescription(error.message()).asRuntimeException();
    }
    return Status.UNAVAILABLE.withDescription(error.message()).asRuntimeException();
  }

  /** The status for whatever a call failed with. */
  static StatusRuntimeException of(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof StatusRuntimeException e) {
      return e;
    }
    if (cause instanceof StatusException e) {
      return new StatusRuntimeException(e.getStatus(), e.getTrailers());
    }
    if (cause instanceof StateException e) {
      return of(e.error());
    }
    log.error("state store call failed", cause);
    return Status.INTERNAL
        .withDescription(String.valueOf(cause))
        .withCause(cause)
        .asRuntimeException();
  }

  static StatusRuntimeException etag(Code code, String description) {
    BadRequest badRequest =
        BadRequest.newBuilder()
            .addFieldViolations(
                BadRequest.FieldViolation.newBuilder()
                    .setField(ETAG_FIELD)
                    .setDescription(description))
            .build();
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(description)
            .addDetails(Any.pack(badRequest))
            .build();
    return StatusProto.toStatusRuntimeException(status);
  }
}
