package dev.mqttsidecar.broker.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Turns Netty leak reports into test failures. Netty only logs a leak ("LEAK: ...") when a leaked
 * buffer has been collected and a later allocation notices it; so after all tests of a class this
 * forces collection, allocates to trigger the report, and fails the class if any report was logged.
 * Use with {@code @ExtendWith(LeakCheck.class)}; tests run with {@code
 * -Dio.netty.leakDetection.level=PARANOID}.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {

  private static final List<String> REPORTS = new CopyOnWriteArrayList<>();
  private static volatile boolean installed;

  /** Reports logged so far in this JVM (for tests of the check itself). */
  public static List<String> reports() {
    return REPORTS;
  }

  /** Attaches the log listener to Netty's leak detector logger (idempotent). */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    AppenderBase<ILoggingEvent> appender =
        new AppenderBase<>() {
          @Override
          protected void append(ILoggingEvent e) {
            if (e.getFormattedMessage() != null && e.getFormattedMessage().contains("LEAK")) {
              REPORTS.add(e.getFormattedMessage());
            }
          }
        };
    appender.setContext(logger.getLoggerContext());
    appender.setName("leak-check");
    appender.start();
    logger.addAppender(appender);
    installed = true;
  }

  /** Collects garbage and allocates so pending leak reports get logged. */
  public static void provokeReports() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      for (int i = 0; i < 200; i++) {
        ByteBuf a = PooledByteBufAllocator.DEFAULT.directBuffer(16);
        a.release();
        ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
        b.release();
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    install();
    REPORTS.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    provokeReports();
    if (!REPORTS.isEmpty()) {
      String first = REPORTS.get(0);
      int n = REPORTS.size();
      REPORTS.clear();
      throw new AssertionError(
          n + " Netty leak report(s) in " + context.getDisplayName() + ":\n" + first);
    }
  }
}
