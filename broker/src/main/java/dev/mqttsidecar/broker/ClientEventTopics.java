package dev.mqttsidecar.broker;

/**
 * The topics of the client life-cycle events the broker publishes (when they are on): {@code
 * $events/clients/{clientId}/connected} and {@code .../disconnected}.
 */
public final class ClientEventTopics {
  /** The topic prefix of every life-cycle event. */
  public static final String PREFIX = "$events/clients/";

  private ClientEventTopics() {}

  /**
   * The topic of one event of a client. A client id may hold characters that are not valid in a
   * topic level: '/', '+' and '#' become '_'.
   */
  public static String of(String clientId, String event) {
    return PREFIX + clientId.replace('/', '_').replace('+', '_').replace('#', '_') + "/" + event;
  }
}
