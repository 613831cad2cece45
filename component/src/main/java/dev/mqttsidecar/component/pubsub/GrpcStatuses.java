package dev.mqttsidecar.component.pubsub;

import dev.mqttsidecar.dapr.InvalidMetadataException;
import io.grpc.Status;

/** The gRPC status for each failure class of the pub/sub component. */
final class GrpcStatuses {
  private GrpcStatuses() {}

  static Status of(PublishOutcome outcome) {
    Status status =
        switch (outcome.kind()) {
          case PUBLISHED -> Status.OK;
          case INVALID -> Status.INVALID_ARGUMENT;
          case NOT_AUTHORIZED -> Status.PERMISSION_DENIED;
          case OVERLOADED -> Status.RESOURCE_EXHAUSTED;
          case UNAVAILABLE -> Status.UNAVAILABLE;
        };
    return status.withDescription(outcome.detail());
  }

  static Status of(InvalidMetadataException e) {
    return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
  }
}
