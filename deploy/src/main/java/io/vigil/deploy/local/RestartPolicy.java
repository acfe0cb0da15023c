package io.vigil.deploy.local;

import java.time.Duration;
import java.time.Instant;
import java.util.Deque;

/**
 * When {@code ./vigil up} restarts a service that died, and when it gives up: the n-th restart in a
 * row waits {@code initialBackoff} doubled n-1 times, at most {@code maxBackoff}; more than {@code
 * maxRestarts} restarts within {@code window} means the service keeps dying, and everything stops.
 */
record RestartPolicy(
    Duration initialBackoff, Duration maxBackoff, int maxRestarts, Duration window) {

  /** 1 s doubling to 30 s; more than 5 restarts of one service within 10 minutes is too many. */
  static final RestartPolicy DEFAULT =
      new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 5, Duration.ofMinutes(10));

  RestartPolicy {
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("backoff must be positive and at most its maximum");
    }
    if (maxRestarts < 0 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("need a restart limit of at least 0 and a window");
    }
  }

  /** The wait before the {@code n}-th restart in the window (1-based). */
  Duration backoff(int n) {
    long ms = initialBackoff.toMillis() << Math.min(Math.max(n, 1) - 1, 20);
    return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
  }

  /**
   * Records a restart wanted at {@code now} in {@code restarts} (forgetting those older than the
   * window) and answers whether it is allowed: false once it would be restart {@code maxRestarts +
   * 1} within the window.
   */
  boolean allow(Deque<Instant> restarts, Instant now) {
    while (!restarts.isEmpty() && !restarts.peekFirst().isAfter(now.minus(window))) {
      restarts.removeFirst();
    }
    if (restarts.size() >= maxRestarts) {
      return false;
    }
    restarts.addLast(now);
    return true;
  }
}
