package dev.mqttsidecar.broker;

/**
 * Decides which topics a client may publish to and which filters it may subscribe to. Called on the
 * connection's event loop: must not block.
 */
public interface Authorizer {

  /** Allows every client every topic. */
  Authorizer ALLOW_ALL =
      new Authorizer() {
        @Override
        public boolean mayPublish(ClientIdentity client, String topic) {
          return true;
        }

        @Override
        public boolean maySubscribe(ClientIdentity client, String filter) {
          return true;
        }
      };

  /** Whether {@code client} may publish to (or leave a will on) {@code topic}. */
  boolean mayPublish(ClientIdentity client, String topic);

  /**
   * Whether {@code client} may subscribe to {@code filter}: a topic filter, or a shared
   * subscription {@code $share/{group}/{filter}} as the client sent it.
   */
  boolean maySubscribe(ClientIdentity client, String filter);
}
