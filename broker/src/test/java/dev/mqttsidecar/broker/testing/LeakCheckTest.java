package dev.mqttsidecar.broker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** The leak check itself must be able to fail: a deliberately leaked buffer is reported. */
class LeakCheckTest {

  @Test
  void aLeakedBufferIsReported() {
    // The build runs tests with -Dio.netty.leakDetection.level=PARANOID.
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    LeakCheck.install();
    LeakCheck.reports().clear();
    // Keep the deliberate report off the console, so a LEAK line in a build log is always real.
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(ResourceLeakDetector.class);
    logger.setAdditive(false);
    try {
      leak();
      for (int i = 0; i < 20 && LeakCheck.reports().isEmpty(); i++) {
        LeakCheck.provokeReports();
      }
    } finally {
      logger.setAdditive(true);
    }
    assertThat(LeakCheck.reports()).isNotEmpty();
    LeakCheck.reports().clear();
  }

  private static void leak() {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(8);
    leaked.writeLong(42);
    // dropped without release()
  }
}
