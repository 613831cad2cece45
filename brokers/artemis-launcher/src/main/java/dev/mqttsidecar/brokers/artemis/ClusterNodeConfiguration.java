package dev.mqttsidecar.brokers.artemis;

import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.core.config.ClusterConnectionConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.cluster.impl.MessageLoadBalancingType;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/** One Artemis node of a loopback MQTT cluster, as a {@link Configuration}. */
final class ClusterNodeConfiguration {
  static final String CLUSTER_NAME = "mqtt-cluster";

  /** How often expired MQTT 5 sessions are removed: short, so expiry is seen within a second. */
  private static final long SESSION_SCAN_MILLIS = 500;

  private ClusterNodeConfiguration() {}

  static Configuration of(LauncherArgs args) throws Exception {
    String dir = args.dir().toAbsolutePath().toString();
    Configuration config =
        new ConfigurationImpl()
            .setName(args.name())
            .setSecurityEnabled(false)
            // Durable: a QoS 1 message is on disk when PUBACKed and survives kill -9.
            .setPersistenceEnabled(true)
            .setJournalType(JournalType.NIO)
            .setJournalDirectory(dir + "/journal")
            .setBindingsDirectory(dir + "/bindings")
            .setPagingDirectory(dir + "/paging")
            .setLargeMessagesDirectory(dir + "/large-messages")
            .setNodeManagerLockDirectory(dir)
            .setClusterUser("cluster")
            // The same on every node: the nodes authenticate one another with it.
            .setClusterPassword("loopback-cluster")
            .setMqttSessionScanInterval(SESSION_SCAN_MILLIS);
    config.addAcceptorConfiguration(
        "mqtt", "tcp://127.0.0.1:" + args.mqttPort() + "?protocols=MQTT");
    config.addAcceptorConfiguration(
        "cluster", "tcp://127.0.0.1:" + args.clusterPort() + "?protocols=CORE");
    config.addConnectorConfiguration("self", "tcp://127.0.0.1:" + args.clusterPort());
    List<String> peerConnectors = new ArrayList<>();
    for (int port : args.peers()) {
      String connector = "peer-" + port;
      config.addConnectorConfiguration(connector, "tcp://127.0.0.1:" + port);
      peerConnectors.add(connector);
    }
    config.addClusterConfiguration(
        new ClusterConnectionConfiguration()
            .setName(CLUSTER_NAME)
            .setAddress("")
            .setConnectorName("self")
            // Static connectors: no multicast discovery, which loopback and CI cannot rely on.
            .setStaticConnectors(peerConnectors)
            // A message goes to a node only when that node has a consumer for it, so a $share
            // group (one queue name on every node) is served by its members on all nodes.
            .setMessageLoadBalancingType(MessageLoadBalancingType.ON_DEMAND)
            .setRetryInterval(200)
            .setReconnectAttempts(-1)
            .setMaxHops(1));
    // Messages left in a queue whose consumers moved to another node follow them there at once
    // (for example a persistent session's backlog once its node is back after a crash).
    config.addAddressSetting("#", new AddressSettings().setRedistributionDelay(0));
    return config;
  }
}
