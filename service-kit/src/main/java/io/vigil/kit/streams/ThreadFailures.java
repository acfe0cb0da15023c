package io.vigil.kit.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Stream threads of one Kafka Streams client that failed and were replaced, in a sliding window of
 * wall-clock time (scoring's client, the alerts service's lifecycle and vitals history). One
 * replacement is a hiccup; {@code limit} of them within {@code window} means a thread keeps failing
 * (a record it can neither process nor set aside, a broken store) and the client, though it runs,
 * is not doing its work.
 */
public final class ThreadFailures {
  private final Duration window;
  private final int limit;
  private final Deque<Instant> failures = new ArrayDeque<>();
  private long total;

  /**
   * @param limit replacements within {@code window} from which the client counts as failing
   */
  public ThreadFailures(Duration window, int limit) {
    if (limit < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("need a positive window and limit");
    }
    this.window = window;
    this.limit = limit;
  }

  /** A stream thread failed at {@code at} and was replaced. */
  public synchronized void record(Instant at) {
    failures.addLast(at);
    total++;
    expire(at);
  }

  /** Replacements within the window ending at {@code now}. */
  public synchronized int recent(Instant now) {
    expire(now);
    return failures.size();
  }

  /**
   * True while at least {@code limit} replacements fall within the window ending at {@code now}.
   */
  public boolean failing(Instant now) {
    return recent(now) >= limit;
  }

  /** Every replacement since the client started. */
  public synchronized long total() {
    return total;
  }

  public Duration window() {
    return window;
  }

  public int limit() {
    return limit;
  }

  private void expire(Instant now) {
    Instant from = now.minus(window);
    while (!failures.isEmpty() && !failures.peekFirst().isAfter(from)) {
      failures.removeFirst();
    }
  }
}
