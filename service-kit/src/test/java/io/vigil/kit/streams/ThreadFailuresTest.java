package io.vigil.kit.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void shouldCountAsFailingFromTheLimitWithinTheWindowOnly() {
    ThreadFailures failures = new ThreadFailures(Duration.ofMinutes(10), 3);
    failures.record(T);
    failures.record(T.plusSeconds(60));
    assertEquals(2, failures.recent(T.plusSeconds(60)));
    assertFalse(failures.failing(T.plusSeconds(60)), "two replacements are under the limit");
    failures.record(T.plusSeconds(120));
    assertTrue(failures.failing(T.plusSeconds(120)));
    assertTrue(failures.failing(T.plusSeconds(599)), "the first still within 10 minutes");
    assertFalse(failures.failing(T.plusSeconds(600)), "the first is exactly 10 minutes old");
    assertEquals(1, failures.recent(T.plusSeconds(661)));
    assertEquals(0, failures.recent(T.plusSeconds(720)));
  }

  @Test
  void shouldRefuseAWindowOrLimitThatCouldNeverFail() {
    assertThrows(IllegalArgumentException.class, () -> new ThreadFailures(Duration.ZERO, 3));
    assertThrows(
        IllegalArgumentException.class, () -> new ThreadFailures(Duration.ofMinutes(1), 0));
  }
}
