package dev.mqttsidecar.bench.brokers;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs HiveMQ CE's embedded broker for bench/compare on 127.0.0.1 with the settings the other
 * brokers get: per-client queue of 10,000 messages, inbound window of 1,024, persistence in memory
 * or in files (its own default, xodus/rocksdb under the data folder).
 *
 * <p>Usage: {@code HiveMqLauncher --port PORT --persistence on|off --dir DIR}
 */
public final class HiveMqLauncher {
  private HiveMqLauncher() {}

  public static void main(String[] args) throws Exception {
    LauncherArgs a = LauncherArgs.parse(args);
    Path conf = Files.createDirectories(a.dir().resolve("conf"));
    Files.writeString(
        conf.resolve("config.xml"),
        """
        <?xml version="1.0"?>
        <hivemq>
          <listeners>
            <tcp-listener>
              <port>%d</port>
              <bind-address>127.0.0.1</bind-address>
            </tcp-listener>
          </listeners>
          <mqtt>
            <queued-messages>
              <max-queue-size>10000</max-queue-size>
              <strategy>discard</strategy>
            </queued-messages>
            <receive-maximum>
              <server-receive-maximum>1024</server-receive-maximum>
            </receive-maximum>
          </mqtt>
          <anonymous-usage-statistics>
            <enabled>false</enabled>
          </anonymous-usage-statistics>
          <persistence>
            <mode>%s</mode>
          </persistence>
        </hivemq>
        """
            .formatted(a.port(), a.persistence() ? "file" : "in-memory"));
    EmbeddedHiveMQ hivemq =
        EmbeddedHiveMQ.builder()
            .withConfigurationFolder(conf)
            .withDataFolder(Files.createDirectories(a.dir().resolve("data")))
            .withExtensionsFolder(Files.createDirectories(a.dir().resolve("extensions")))
            .build();
    hivemq.start().join();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  hivemq.stop().join();
                  stopped.countDown();
                }));
    System.out.println("MQTT broker listening on 127.0.0.1:" + a.port());
    stopped.await();
  }
}
