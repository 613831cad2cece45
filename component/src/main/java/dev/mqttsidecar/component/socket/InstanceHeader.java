package dev.mqttsidecar.component.socket;

import dev.mqttsidecar.dapr.InstanceKey;
import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerTransportFilter;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Tells the services which component instance a call is for. daprd sends the Component YAML's
 * {@code metadata.name} as {@code x-component-instance} on every call ("" when absent, as Dapr's
 * conformance harness sends); the daprd connection is the other half of the {@link InstanceKey},
 * because several daprds may share one socket and one component name.
 */
public final class InstanceHeader {

  public static final Metadata.Key<String> HEADER =
      Metadata.Key.of("x-component-instance", Metadata.ASCII_STRING_MARSHALLER);

  private static final Attributes.Key<String> CONNECTION =
      Attributes.Key.create("daprd-connection");
  private static final Context.Key<InstanceKey> INSTANCE = Context.key("component-instance");
  private static final InstanceKey NONE = new InstanceKey("", "");

  private InstanceHeader() {}

  /** The instance of the call being served on this thread. */
  public static InstanceKey current() {
    InstanceKey key = INSTANCE.get();
    return key == null ? NONE : key;
  }

  /** Puts each call's {@link InstanceKey} in its gRPC context. */
  public static ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String name = headers.get(HEADER);
        String connection = call.getAttributes().get(CONNECTION);
        InstanceKey key =
            new InstanceKey(connection == null ? "" : connection, name == null ? "" : name);
        return Contexts.interceptCall(
            Context.current().withValue(INSTANCE, key), call, headers, next);
      }
    };
  }

  /** Gives every daprd connection an id and reports when one closes. */
  public static ServerTransportFilter connections(Consumer<String> onClosed) {
    AtomicLong ids = new AtomicLong();
    return new ServerTransportFilter() {
      @Override
      public Attributes transportReady(Attributes attributes) {
        return attributes.toBuilder().set(CONNECTION, Long.toString(ids.incrementAndGet())).build();
      }

      @Override
      public void transportTerminated(Attributes attributes) {
        String connection = attributes.get(CONNECTION);
        if (connection != null) {
          onClosed.accept(connection);
        }
      }
    };
  }
}
