package dev.mqttsidecar.component.console;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.component.http.HttpCredentials;
import java.time.Clock;

/** Builds the console over a running broker. */
public final class Console {
  /** How many messages wait for one browser before the oldest are dropped. */
  public static final int VIEWER_BUFFER = 1_000;

  /** Payload bytes shown per message; the size column still tells the full length. */
  public static final int MAX_PAYLOAD_SHOWN = 16 * 1024;

  private Console() {}

  /**
   * The console of {@code broker}, its requests authenticated and authorized by {@code
   * credentials}.
   */
  public static ConsoleRoutes over(Broker broker, HttpCredentials credentials, Clock clock) {
    ConsoleApi api =
        new ConsoleApi(
            broker.inspector(),
            new RetainedBrowser(broker.retained(), MAX_PAYLOAD_SHOWN),
            new StateBrowser(broker.retained(), clock, MAX_PAYLOAD_SHOWN),
            broker::publish,
            clock);
    return new ConsoleRoutes(
        api,
        credentials,
        live ->
            new LiveView(
                broker,
                live.filter(),
                VIEWER_BUFFER,
                MAX_PAYLOAD_SHOWN,
                clock,
                live.onAvailable()));
  }
}
