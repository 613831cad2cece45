package dev.mqttsidecar.component.pubsub;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * Counts the PullMessages streams that subscribed, per consumer group (share name), from the
 * stream's log line, which follows the broker subscription. Tells a test when a new group exists,
 * that is, from when on a publish is queued for it.
 */
final class SubscribedStreams extends AppenderBase<ILoggingEvent> {
  private static final Pattern SUBSCRIBED =
      Pattern.compile("stream \\S+ subscribed to .* as \\$share/([^/]+)/.*");
  private static final SubscribedStreams INSTANCE = new SubscribedStreams();

  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  /** Watches the streams' log from now on (once per JVM). */
  static synchronized SubscribedStreams watch() {
    if (!INSTANCE.isStarted()) {
      Logger log = (Logger) LoggerFactory.getLogger(PullStream.class);
      if (!log.isInfoEnabled()) {
        log.setLevel(Level.INFO);
      }
      INSTANCE.setContext(log.getLoggerContext());
      INSTANCE.setName("subscribed-streams");
      INSTANCE.start();
      log.addAppender(INSTANCE);
    }
    return INSTANCE;
  }

  /** Streams of the group named {@code shareName} that subscribed so far. */
  int count(String shareName) {
    AtomicInteger n = counts.get(shareName);
    return n == null ? 0 : n.get();
  }

  @Override
  protected void append(ILoggingEvent event) {
    Matcher m = SUBSCRIBED.matcher(event.getFormattedMessage());
    if (m.matches()) {
      counts.computeIfAbsent(m.group(1), k -> new AtomicInteger()).incrementAndGet();
    }
  }
}
