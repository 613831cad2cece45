package dev.mqttsidecar.broker;

/** Decides which topics a client may publish to and subscribe to. */
public interface Authorizer {

  /** Allows every client every topic. */
  Authorizer ALLOW_ALL =
      new Authorizer() {
        @Override
        public boolean mayPublish(String clientId, String username, String topic) {
          return true;
        }

        @Override
        public boolean maySubscribe(String clientId, String username, String filter) {
          return true;
        }
      };

  boolean mayPublish(String clientId, String username, String topic);

  boolean maySubscribe(String clientId, String username, String filter);
}
