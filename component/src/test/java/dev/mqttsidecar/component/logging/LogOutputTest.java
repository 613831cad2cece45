package dev.mqttsidecar.component.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogOutputTest {

  @Test
  void javaUtilLoggingGoesToTheSameOutput() {
    LogOutput.apply("INFO", LogFormat.TEXT);
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    try {
      java.util.logging.Logger.getLogger("io.grpc.netty.Example").warning("a gRPC warning");
      assertThat(captured.list)
          .anySatisfy(
              event -> {
                assertThat(event.getLoggerName()).isEqualTo("io.grpc.netty.Example");
                assertThat(event.getFormattedMessage()).isEqualTo("a gRPC warning");
                assertThat(event.getLevel().toString()).isEqualTo("WARN");
              });
    } finally {
      root.detachAppender(captured);
    }
  }
}
