package dev.mqttsidecar.component.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Two Apache ActiveMQ Artemis nodes clustered on loopback (static connectors, ON_DEMAND load
 * balancing, redistribution at once), each with its own MQTT port and journal under {@code dir}.
 */
public final class ArtemisCluster implements AutoCloseable {
  private final List<ArtemisNode> nodes;

  private ArtemisCluster(List<ArtemisNode> nodes) {
    this.nodes = nodes;
  }

  /** Starts both nodes and waits until each sees the other. */
  public static ArtemisCluster start(Path dir) throws Exception {
    int cluster1 = LoopbackPorts.free();
    int cluster2 = LoopbackPorts.free();
    ArtemisNode node1 =
        new ArtemisNode(
            "node1",
            Files.createDirectories(dir.resolve("node1")),
            LoopbackPorts.free(),
            cluster1,
            List.of(cluster2));
    ArtemisNode node2 =
        new ArtemisNode(
            "node2",
            Files.createDirectories(dir.resolve("node2")),
            LoopbackPorts.free(),
            cluster2,
            List.of(cluster1));
    ArtemisCluster cluster = new ArtemisCluster(List.of(node1, node2));
    try {
      node1.start();
      node2.start();
      cluster.awaitFormed();
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Node 1 or 2. */
  public ArtemisNode node(int number) {
    return nodes.get(number - 1);
  }

  /** Waits until every node counts all nodes, for example after a restart. */
  public void awaitFormed() {
    nodes.forEach(n -> n.awaitMembers(nodes.size()));
  }

  @Override
  public void close() throws InterruptedException {
    for (ArtemisNode node : nodes) {
      node.close();
    }
  }
}
