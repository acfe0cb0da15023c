package io.vigil.scoring.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScoringConfigTest {
  private static final ScoringConfig DEFAULTS = ScoringConfig.defaults();

  @Test
  void shouldChangeOnlyTheValueAWithMethodNames() {
    ScoringConfig changed = DEFAULTS.withCadence(Duration.ofMinutes(20));
    assertEquals(Duration.ofMinutes(20), changed.cadence());
    assertEquals(DEFAULTS, changed.withCadence(DEFAULTS.cadence()), "every other value kept");
    assertEquals(DEFAULTS, DEFAULTS.toBuilder().build());
  }

  @Test
  void shouldCheckValuesThatBoundEachOtherOnceTheyHaveAllChanged() {
    // The defaults keep 14 days of scores and accept readings 24 h late; an operator who keeps a
    // day of scores and 6 h of lateness sets both, and only the pair is within the bounds.
    ScoringConfig shorter =
        DEFAULTS.toBuilder()
            .scoreRetention(Duration.ofDays(1))
            .allowedLateness(Duration.ofHours(6))
            .build();
    assertEquals(Duration.ofDays(1), shorter.scoreRetention());
    assertEquals(Duration.ofHours(6), shorter.allowedLateness());
    assertThrows(
        IllegalArgumentException.class,
        () -> DEFAULTS.withScoreRetention(Duration.ofDays(1)),
        "one day of scores alone is shorter than the default lateness plus a window");
  }

  @Test
  void shouldRefuseABuiltConfigurationOutOfBoundsNamingTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DEFAULTS.toBuilder().cadence(Duration.ofMinutes(7)).build());
    assertTrue(e.getMessage().startsWith("cadence must be"), e.getMessage());
  }
}
