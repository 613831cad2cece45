package dev.mqttsidecar.component.dataflow;

import dev.mqttsidecar.component.endpoint.EndpointConnection;
import dev.mqttsidecar.component.endpoint.EndpointSettings;
import dev.mqttsidecar.component.endpoint.RemoteMessage;
import dev.mqttsidecar.component.endpoint.RemoteRefusedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Publishes to an endpoint at the endpoint's QoS, through its shared connection. */
final class EndpointDestination implements Destination {
  private final EndpointConnection connection;

  EndpointDestination(EndpointConnection connection) {
    this.connection = connection;
  }

  @Override
  public CompletableFuture<Void> send(FlowMessage m) {
    EndpointSettings settings = connection.settings();
    RemoteMessage message =
        new RemoteMessage(
            m.topic(),
            m.payload(),
            settings.qos(),
            settings.retain() == EndpointSettings.RetainPolicy.KEEP && m.retain(),
            m.contentType(),
            m.userProperties());
    return connection
        .publish(message)
        .exceptionally(
            error -> {
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause instanceof RemoteRefusedException) {
                throw new Refused(cause.getMessage());
              }
              throw error instanceof CompletionException c ? c : new CompletionException(error);
            });
  }
}
