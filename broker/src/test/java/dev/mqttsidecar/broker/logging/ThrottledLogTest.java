package dev.mqttsidecar.broker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ThrottledLogTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger("throttled-log-test");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final AtomicLong nanos = new AtomicLong(-5); // monotonic clocks may be negative
  private final ThrottledLog log = new ThrottledLog(logger, Duration.ofSeconds(60), nanos::get);

  ThrottledLogTest() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(lines);
  }

  @Test
  void theFirstIsWrittenAtOnceTheRestOncePerIntervalWithTheirCount() {
    log.warn("refused 1");
    for (int i = 2; i <= 100; i++) {
      nanos.addAndGet(Duration.ofMillis(100).toNanos());
      log.warn("refused " + i);
    }
    assertThat(lines.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("refused 1");

    nanos.set(-5 + Duration.ofSeconds(60).toNanos());
    log.warn("refused 101");
    nanos.addAndGet(Duration.ofSeconds(60).toNanos());
    log.warn("refused 102");
    assertThat(lines.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "refused 1", "refused 101 (99 more like it since the last report)", "refused 102");
  }
}
