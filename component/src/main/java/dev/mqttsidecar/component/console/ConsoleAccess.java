package dev.mqttsidecar.component.console;

/**
 * What the person using the console may do: the permissions of their MQTT identity. Reading (the
 * live view, lists) needs subscribe permission, editing and publishing publish permission.
 */
public interface ConsoleAccess {
  /** Everything: for a broker without authorization rules. */
  ConsoleAccess ALL =
      new ConsoleAccess() {
        @Override
        public boolean mayRead(String filter) {
          return true;
        }

        @Override
        public boolean mayWrite(String topic) {
          return true;
        }

        @Override
        public String who() {
          return "anyone";
        }
      };

  /** Whether the identity may subscribe to {@code filter}. */
  boolean mayRead(String filter);

  /** Whether the identity may publish to {@code topic}. */
  boolean mayWrite(String topic);

  /** The identity, for a refusal's message. */
  String who();

  /** Refuses with 403 unless {@link #mayRead}. */
  default void checkRead(String filter) {
    if (!mayRead(filter)) {
      throw new NotAllowed(who() + " may not subscribe to " + filter);
    }
  }

  /** Refuses with 403 unless {@link #mayWrite}. */
  default void checkWrite(String topic) {
    if (!mayWrite(topic)) {
      throw new NotAllowed(who() + " may not publish to " + topic);
    }
  }

  /** A request the identity's permissions do not allow: 403, nothing done. */
  final class NotAllowed extends RuntimeException {
    public NotAllowed(String message) {
      super(message, null, false, false);
    }
  }
}
