package io.vigil.ingest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void shouldAllowTheBurstThenTheSustainedRatePerSource() {
    RateLimiter limiter = new RateLimiter(2, 3);
    long t = 1_000 * SECOND;
    for (int i = 0; i < 3; i++) {
      assertEquals(Duration.ZERO, limiter.acquire("a", t));
    }
    assertEquals(Duration.ofMillis(500), limiter.acquire("a", t), "one token per 0.5 s");
    assertEquals(Duration.ZERO, limiter.acquire("b", t), "other sources have their own bucket");
    assertEquals(Duration.ofMillis(250), limiter.acquire("a", t + SECOND / 4));
    assertEquals(Duration.ZERO, limiter.acquire("a", t + SECOND / 2));
    assertEquals(Duration.ZERO, limiter.acquire("a", t + 100 * SECOND), "refilled");
    assertEquals(Duration.ZERO, limiter.acquire("a", t + 100 * SECOND));
    assertEquals(Duration.ZERO, limiter.acquire("a", t + 100 * SECOND));
    assertEquals(
        Duration.ofMillis(500),
        limiter.acquire("a", t + 100 * SECOND),
        "never more than the burst");
  }
}
