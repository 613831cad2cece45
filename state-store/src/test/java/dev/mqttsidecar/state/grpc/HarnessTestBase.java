package dev.mqttsidecar.state.grpc;

import dev.mqttsidecar.broker.testing.MutableClock;
import dev.mqttsidecar.state.FakeBroker;
import dev.mqttsidecar.state.InMemoryRetainedStore;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh in-memory broker, clock and in-process server per test, with instance "store" ready. */
abstract class HarnessTestBase {
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-04T05:06:07.890Z"));
  InMemoryRetainedStore retained;
  GrpcHarness harness;
  GrpcHarness.Client store;

  @BeforeEach
  void startHarness() throws Exception {
    retained = new InMemoryRetainedStore(clock);
    harness = new GrpcHarness(new FakeBroker(retained), clock);
    store = harness.init("store", Map.of());
  }

  @AfterEach
  void stopHarness() throws Exception {
    harness.close();
  }
}
