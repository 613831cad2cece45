package dev.mqttsidecar.brokers.artemis;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;
import org.apache.activemq.artemis.core.server.cluster.ClusterConnection;

/**
 * Runs one Apache ActiveMQ Artemis node with an MQTT listener on 127.0.0.1, clustered with its
 * peers through static connectors. Prints {@code MQTT broker listening on 127.0.0.1:PORT} once it
 * serves, then {@code cluster members: N} whenever the number of nodes it sees changes.
 *
 * <p>Usage: see {@link LauncherArgs#USAGE}.
 */
public final class ArtemisLauncher {
  private ArtemisLauncher() {}

  public static void main(String[] args) throws Exception {
    // Artemis logs every management call at INFO; warnings and errors are what a test reads.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    LauncherArgs parsed;
    try {
      parsed = LauncherArgs.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    ActiveMQServer server = ActiveMQServers.newActiveMQServer(ClusterNodeConfiguration.of(parsed));
    server.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.stop();
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                  stopped.countDown();
                }));
    System.out.println("MQTT broker listening on 127.0.0.1:" + parsed.mqttPort());
    reportMembers(server);
    stopped.await();
  }

  /** Polls rather than listens: the count is all a test waits for, and polling cannot miss it. */
  private static void reportMembers(ActiveMQServer server) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cluster-members");
              t.setDaemon(true);
              return t;
            });
    AtomicInteger last = new AtomicInteger();
    timer.scheduleWithFixedDelay(
        () -> {
          ClusterConnection cluster =
              server.getClusterManager() == null
                  ? null
                  : server
                      .getClusterManager()
                      .getClusterConnection(ClusterNodeConfiguration.CLUSTER_NAME);
          if (cluster == null) {
            return;
          }
          int members = cluster.getTopology().getMembers().size();
          if (last.getAndSet(members) != members) {
            System.out.println("cluster members: " + members);
          }
        },
        0,
        100,
        TimeUnit.MILLISECONDS);
  }
}
