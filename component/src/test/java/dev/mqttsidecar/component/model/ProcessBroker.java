package dev.mqttsidecar.component.model;

import dev.mqttsidecar.broker.model.BrokerUnderTest;
import dev.mqttsidecar.component.testing.SidecarProcess;
import java.nio.file.Path;
import java.time.Duration;

/** The sidecar as a process of its own, so it can be killed with SIGKILL. */
final class ProcessBroker implements BrokerUnderTest {
  private final Path folder;
  private final String durability;
  private SidecarProcess process;
  private int port;

  ProcessBroker(Path folder, String durability) throws Exception {
    this.folder = folder;
    this.durability = durability;
    start();
  }

  private void start() throws Exception {
    process =
        SidecarProcess.start(
            folder,
            "model",
            "--data-dir",
            folder.resolve("data").toString(),
            "--durability",
            durability);
    port = process.mqttPort();
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public void restart() throws Exception {
    process.terminate();
    int code = process.awaitExit(Duration.ofSeconds(30));
    if (code != 0 && code != 143) {
      throw new AssertionError("exit code " + code + " on SIGTERM; output:\n" + process.output());
    }
    process.close();
    start();
  }

  @Override
  public void crash() throws Exception {
    process.kill();
    process.close();
    start();
  }

  @Override
  public boolean memoryOnly() {
    return durability.equals("memory");
  }

  @Override
  public void close() throws Exception {
    process.close();
  }
}
