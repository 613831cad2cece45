package dev.mqttsidecar.security.ratelimit;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down password guessing: after {@link Policy#maxFailures()} failed logins from one address
 * (each within {@link Policy#window()} of the previous), that address is refused for a back-off
 * that doubles with every further failure, up to {@link Policy#maxBackOff()}. A successful login,
 * or a quiet window, forgets the address. Attempts while refused are not checked, so they cost no
 * hashing and prolong nothing.
 *
 * <p>At most {@link Policy#maxAddresses()} addresses are remembered (the least recently seen go
 * first), so a flood of addresses cannot grow memory. Thread-safe.
 */
public final class FailedLoginLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(FailedLoginLimiter.class);

  /**
   * @param maxFailures failures in a row that start the back-off
   * @param window how long after a failure (or the end of a back-off) the count is kept
   * @param firstBackOff the first refusal period; each further failure doubles it
   * @param maxBackOff the longest refusal period
   * @param maxAddresses how many addresses are remembered at most
   */
  public record Policy(
      int maxFailures,
      Duration window,
      Duration firstBackOff,
      Duration maxBackOff,
      int maxAddresses) {
    /** 5 failures within a minute, then 5 s doubling up to 60 s; 10,000 addresses. */
    public static final Policy DEFAULT =
        new Policy(
            5, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(60), 10_000);

    public Policy {
      if (maxFailures < 1 || maxAddresses < 1) {
        throw new IllegalArgumentException("maxFailures and maxAddresses must be at least 1");
      }
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(firstBackOff, "firstBackOff");
      Objects.requireNonNull(maxBackOff, "maxBackOff");
    }
  }

  private static final class Failures {
    int count;
    Instant last;
    Instant refusedUntil = Instant.MIN;
    boolean warned;
  }

  private final Policy policy;
  private final Clock clock;
  private final Map<InetAddress, Failures> byAddress;

  public FailedLoginLimiter(Policy policy, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.byAddress =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<InetAddress, Failures> eldest) {
            return size() > policy.maxAddresses();
          }
        };
  }

  /** Whether logins from {@code address} are refused right now. */
  public synchronized boolean isRefused(InetAddress address) {
    Failures f = byAddress.get(address);
    return f != null && clock.instant().isBefore(f.refusedUntil);
  }

  /** Counts a failed login from {@code address}; may start or lengthen its back-off. */
  public synchronized void failed(InetAddress address) {
    Instant now = clock.instant();
    Failures f = byAddress.computeIfAbsent(address, a -> new Failures());
    if (f.last != null && now.isAfter(latest(f.last, f.refusedUntil).plus(policy.window()))) {
      byAddress.put(address, f = new Failures()); // quiet long enough: a fresh start
    }
    f.count++;
    f.last = now;
    if (f.count < policy.maxFailures()) {
      return;
    }
    Duration backOff = backOff(f.count - policy.maxFailures());
    f.refusedUntil = now.plus(backOff);
    if (!f.warned) {
      f.warned = true;
      LOG.warn(
          "{} failed logins from {}: refusing its logins for {} s, longer after each further"
              + " failure (up to {} s)",
          f.count,
          address.getHostAddress(),
          backOff.toSeconds(),
          policy.maxBackOff().toSeconds());
    }
  }

  /** Forgets {@code address}'s failures after a successful login. */
  public synchronized void succeeded(InetAddress address) {
    byAddress.remove(address);
  }

  /** How many addresses are remembered (for tests and metrics). */
  public synchronized int size() {
    return byAddress.size();
  }

  private Duration backOff(int doublings) {
    Duration d = policy.firstBackOff();
    for (int i = 0; i < doublings && d.compareTo(policy.maxBackOff()) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(policy.maxBackOff()) > 0 ? policy.maxBackOff() : d;
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
