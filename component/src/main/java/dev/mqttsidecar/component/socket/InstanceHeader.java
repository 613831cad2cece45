package dev.mqttsidecar.component.socket;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * daprd sends the Component YAML's {@code metadata.name} as {@code x-component-instance} on every
 * call to a pluggable component; one socket can serve several components that way. This interceptor
 * makes it available to the services for the duration of the call ("" when absent, as Dapr's
 * conformance harness sends).
 */
public final class InstanceHeader implements ServerInterceptor {

  public static final Metadata.Key<String> HEADER =
      Metadata.Key.of("x-component-instance", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<String> INSTANCE = Context.keyWithDefault("x-component-instance", "");

  /** The instance name of the call being served on this thread. */
  public static String current() {
    return INSTANCE.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String name = headers.get(HEADER);
    Context context = Context.current().withValue(INSTANCE, name == null ? "" : name);
    return Contexts.interceptCall(context, call, headers, next);
  }
}
