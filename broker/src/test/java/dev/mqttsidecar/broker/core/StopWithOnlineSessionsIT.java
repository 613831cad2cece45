package dev.mqttsidecar.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.concurrent.SerialExecutor;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.ErrorLogCapture;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Regression: stopping a broker with persistent sessions online, while new connections still
 * arrive, logged "task failed" with a RejectedExecutionException: a session whose connection closed
 * during the stop armed its expiry timer after the timer thread had stopped, and a connection
 * accepted during the stop was answered on an event loop that had already terminated. Neither is
 * needed then (session expiry is wall-clock time kept in the stored record; the connection is
 * gone), so the stop is quiet. First seen in memory mode, where a restart is a stop and a fresh
 * start.
 */
class StopWithOnlineSessionsIT {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(Durability.class)
  void stoppingWithOnlinePersistentSessionsLogsNoFailedTask(Durability durability)
      throws Exception {
    try (ErrorLogCapture log = ErrorLogCapture.of(SerialExecutor.class)) {
      for (int round = 0; round < 5; round++) {
        BrokerFixture f =
            BrokerFixture.start(
                BrokerConfig.builder()
                    .dataDirectory(tmp.resolve("data-" + durability))
                    .durability(durability));
        for (int i = 0; i < 20; i++) {
          Mqtt5BlockingClient c = f.mqtt5("persistent-" + i).buildBlocking();
          c.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        }
        // Connections keep arriving and taking sessions over while the broker stops.
        AtomicBoolean stopped = new AtomicBoolean();
        Thread churn =
            new Thread(
                () -> {
                  for (int i = 0; i < 2_000 && !stopped.get(); i++) {
                    f.mqtt5("persistent-" + i % 20)
                        .buildAsync()
                        .connectWith()
                        .cleanStart(false)
                        .sessionExpiryInterval(3600)
                        .send();
                  }
                });
        churn.start();
        f.broker().stop(); // with every client still connected
        stopped.set(true);
        churn.join();
        f.close();
      }
      assertThat(log.errors()).isEmpty();
    }
  }
}
