package dev.mqttsidecar.component.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Applies the configured level and format to the root logger. Called once the command line and the
 * configuration file are read, before the sidecar logs anything, so every line of a run has the
 * same format.
 */
public final class LogOutput {
  private LogOutput() {}

  /**
   * @param level TRACE, DEBUG, INFO, WARN or ERROR
   * @throws IllegalArgumentException for another level
   */
  public static void apply(String level, LogFormat format) {
    Level parsed = Level.toLevel(level, null);
    if (parsed == null) {
      throw new IllegalArgumentException(
          "--log-level must be TRACE, DEBUG, INFO, WARN or ERROR, was '" + level + "'");
    }
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(parsed);
    // gRPC (and parts of the JDK) log through java.util.logging, which would print its own
    // two-line format to standard error: route it into this output, so a JSON run stays JSON.
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
    if (format == LogFormat.JSON) {
      for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
        if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
          useJson(appender, root.getLoggerContext());
        }
      }
    }
  }

  private static void useJson(OutputStreamAppender<ILoggingEvent> appender, LoggerContext context) {
    JsonLineLayout layout = new JsonLineLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();
    // setEncoder takes effect on start; the appender writes nothing while stopped.
    appender.stop();
    appender.setEncoder(encoder);
    appender.start();
  }
}
