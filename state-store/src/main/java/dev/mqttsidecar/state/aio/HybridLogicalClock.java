package dev.mqttsidecar.state.aio;

import java.time.Clock;
import java.time.Duration;

/**
 * Timestamps as the protocol writes them, {@code {wallClockMillis}:{counter}:{nodeId}}, and the
 * service's own clock: each timestamp it issues is later than every one it issued or received
 * before (the hybrid logical clock update rule).
 */
public final class HybridLogicalClock {
  /** How far ahead of this clock a request's timestamp may be; the protocol allows a minute. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(1);

  private final Clock clock;
  private final String nodeId;
  private long lastWall;
  private long lastCounter;

  public HybridLogicalClock(Clock clock, String nodeId) {
    this.clock = clock;
    this.nodeId = nodeId;
  }

  /** A parsed timestamp. */
  public record Timestamp(long wallMillis, long counter, String nodeId) {
    @Override
    public String toString() {
      return wallMillis + ":" + counter + ":" + nodeId;
    }
  }

  /**
   * Parses {@code wall:counter:node}: two non-negative decimals and a non-empty node id.
   *
   * @throws IllegalArgumentException when the text is not one
   */
  public static Timestamp parse(String text) {
    String[] parts = text.split(":", 3);
    if (parts.length != 3 || parts[2].isEmpty()) {
      throw new IllegalArgumentException("not wall:counter:node");
    }
    return new Timestamp(decimal(parts[0]), decimal(parts[1]), parts[2]);
  }

  /** Whether {@code received} is further ahead of this clock than {@link #MAX_SKEW}. */
  public boolean tooFarAhead(Timestamp received) {
    return received.wallMillis() > clock.millis() + MAX_SKEW.toMillis();
  }

  /** The next timestamp: after the last one issued, after {@code received} if given. */
  public synchronized Timestamp next(Timestamp received) {
    long receivedWall = received == null ? -1 : received.wallMillis();
    long wall = Math.max(clock.millis(), Math.max(lastWall, receivedWall));
    long counter = -1;
    if (wall == lastWall) {
      counter = lastCounter;
    }
    if (wall == receivedWall) {
      counter = Math.max(counter, received.counter());
    }
    lastWall = wall;
    lastCounter = counter + 1;
    return new Timestamp(wall, lastCounter, nodeId);
  }

  private static long decimal(String digits) {
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("not a decimal: " + digits);
    }
    return Long.parseLong(digits);
  }
}
