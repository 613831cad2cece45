package dev.mqttsidecar.broker.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.mqttsidecar.broker.logging.ThrottledLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Collects what some loggers report at or above a level, with stack traces, while open: for tests
 * that a path runs quietly.
 */
public final class ErrorLogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final Level threshold;
  private final List<Logger> loggers = new ArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private volatile boolean skipRefusals;

  private ErrorLogCapture(Level threshold, List<String> loggerNames) {
    this.threshold = threshold;
    for (String name : loggerNames) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      loggers.add(logger);
      setContext(logger.getLoggerContext());
    }
    start();
    loggers.forEach(l -> l.addAppender(this));
  }

  /** Starts collecting the ERROR reports of {@code source}'s logger. */
  public static ErrorLogCapture of(Class<?> source) {
    return new ErrorLogCapture(Level.ERROR, List.of(source.getName()));
  }

  /** Starts collecting the WARN and ERROR reports of {@code source}'s logger. */
  public static ErrorLogCapture warningsOf(Class<?> source) {
    return new ErrorLogCapture(Level.WARN, List.of(source.getName()));
  }

  /**
   * Starts collecting the WARN and ERROR reports of the project's and Netty's loggers, except
   * refusals at configured limits ({@link ThrottledLog#REFUSAL}). The broker answers bad input with
   * protocol errors logged at DEBUG; any other warning or error means a safety net caught an
   * exception (a task that failed, a handler that threw): a bug, even though the connection
   * survived it.
   */
  public static ErrorLogCapture faults() {
    ErrorLogCapture capture =
        new ErrorLogCapture(Level.WARN, List.of("dev.mqttsidecar", "io.netty"));
    capture.skipRefusals = true;
    return capture;
  }

  /** Starts collecting the ERROR reports of the loggers named {@code loggerNames} and below. */
  public static ErrorLogCapture errorsUnder(String... loggerNames) {
    return new ErrorLogCapture(Level.ERROR, List.of(loggerNames));
  }

  /** The messages reported so far, each with its logger and exception's stack trace. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** The messages reported so far; forgets them. */
  public List<String> drain() {
    List<String> out = errors();
    errors.removeAll(out);
    return out;
  }

  @Override
  protected void append(ILoggingEvent e) {
    boolean refusal = e.getMarkerList() != null && e.getMarkerList().contains(ThrottledLog.REFUSAL);
    if (e.getLevel().isGreaterOrEqual(threshold) && !(skipRefusals && refusal)) {
      String trace =
          e.getThrowableProxy() == null
              ? ""
              : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy());
      errors.add(e.getLoggerName() + ": " + e.getFormattedMessage() + trace);
    }
  }

  @Override
  public void close() {
    loggers.forEach(l -> l.detachAppender(this));
    stop();
  }
}
