package dev.mqttsidecar.broker.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Collects what one logger reports at ERROR (or, from {@link #warningsOf}, at WARN and above), with
 * stack traces, while open: for tests that a path runs quietly, or reports as much as it should.
 */
public final class ErrorLogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final Logger logger;
  private final Level minimum;
  private final List<String> errors = new CopyOnWriteArrayList<>();

  private ErrorLogCapture(Class<?> source, Level minimum) {
    this.minimum = minimum;
    logger = (Logger) LoggerFactory.getLogger(source);
    setContext(logger.getLoggerContext());
    start();
    logger.addAppender(this);
  }

  /** Starts collecting the ERROR reports of {@code source}'s logger. */
  public static ErrorLogCapture of(Class<?> source) {
    return new ErrorLogCapture(source, Level.ERROR);
  }

  /** Starts collecting the WARN and ERROR reports of {@code source}'s logger. */
  public static ErrorLogCapture warningsOf(Class<?> source) {
    return new ErrorLogCapture(source, Level.WARN);
  }

  /** The messages reported so far, each with its exception's stack trace. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  @Override
  protected void append(ILoggingEvent e) {
    if (e.getLevel().isGreaterOrEqual(minimum)) {
      String trace =
          e.getThrowableProxy() == null
              ? ""
              : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy());
      errors.add(e.getFormattedMessage() + trace);
    }
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    stop();
  }
}
