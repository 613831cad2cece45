package dev.mqttsidecar.bench.brokers;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.nio.file.Files;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs Moquette for bench/compare on 127.0.0.1 with the settings the other brokers get: anonymous
 * access, session queues of 10,000, native epoll, telemetry off (no traffic leaves the machine),
 * persistence off or on (its own default store under the data folder).
 *
 * <p>Usage: {@code MoquetteLauncher --port PORT --persistence on|off --dir DIR}
 */
public final class MoquetteLauncher {
  private MoquetteLauncher() {}

  public static void main(String[] args) throws Exception {
    LauncherArgs a = LauncherArgs.parse(args);
    Properties p = new Properties();
    p.setProperty("host", "127.0.0.1");
    p.setProperty("port", Integer.toString(a.port()));
    p.setProperty("websocket_port", "disabled");
    p.setProperty("allow_anonymous", "true");
    p.setProperty("telemetry_enabled", "false");
    p.setProperty("netty.epoll", "true");
    p.setProperty("session_queue_size", "10000");
    p.setProperty("persistence_enabled", Boolean.toString(a.persistence()));
    p.setProperty("data_path", Files.createDirectories(a.dir().resolve("data")).toString());
    Server server = new Server();
    server.startServer(new MemoryConfig(p));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stopServer();
                  stopped.countDown();
                }));
    System.out.println("MQTT broker listening on 127.0.0.1:" + a.port());
    stopped.await();
  }
}
