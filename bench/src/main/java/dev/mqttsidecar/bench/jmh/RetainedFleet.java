package dev.mqttsidecar.bench.jmh;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.persistence.InMemoryRetainedPersistence;
import dev.mqttsidecar.broker.retained.RetainedOverQuota;
import dev.mqttsidecar.broker.retained.RetainedService;
import dev.mqttsidecar.broker.subscription.TopicRules;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * 1,000,000 retained messages of a device fleet, {@code site/S/device/D/M}: 100 sites, 1,000
 * devices per site, 10 metrics per device, 64-byte payloads, in memory.
 */
final class RetainedFleet {
  static final int SITES = 100;
  static final int DEVICES_PER_SITE = 1_000;
  static final String[] METRICS = {
    "temp",
    "humidity",
    "pressure",
    "battery",
    "rssi",
    "co2",
    "voltage",
    "current",
    "status",
    "uptime"
  };

  private RetainedFleet() {}

  static RetainedService retained() {
    RetainedService retained =
        new RetainedService(
            new InMemoryRetainedPersistence(),
            TopicRules.SPEC,
            1 << 20,
            Clock.systemUTC(),
            m -> CompletableFuture.completedFuture(0));
    byte[] payload = new byte[64];
    for (int site = 0; site < SITES; site++) {
      for (int device = 0; device < DEVICES_PER_SITE; device++) {
        for (String metric : METRICS) {
          String topic = "site/" + site + "/device/" + device + "/" + metric;
          retained.publishRetained(
              Message.of(topic, payload, Qos.AT_MOST_ONCE, true),
              RetainedOverQuota.REFUSE,
              () -> CompletableFuture.completedFuture(0));
        }
      }
    }
    return retained;
  }
}
