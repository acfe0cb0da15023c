package io.vigil.scoring.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event-time rules of one patient's windows, without a driver (3-hour windows, hourly). */
class WindowClockTest {
  private static final ScoringConfig CONFIG = ScoringDriver.smallConfig();
  private static final WindowClock RULES = new WindowClock(CONFIG);
  private static final long HOUR = ScoringConfig.HOUR_MS;
  private static final long GRACE = CONFIG.graceMs();
  private static final long T10 = Instant.parse("2026-01-05T10:00:00Z").toEpochMilli();

  /** A clock whose windows closed through {@code closedThrough}, latest reading at {@code max}. */
  private static PatientClock closedThrough(long closedThrough, long max) {
    return new PatientClock(max, closedThrough + HOUR, closedThrough, 0, PatientClock.NONE, 0);
  }

  @Test
  void shouldPutAReadingExactlyAtAWindowEndIntoTheNextWindow() {
    PatientClock fresh = PatientClock.starting(0);
    WindowClock.Arrival atEnd = RULES.arrive(fresh, T10 + HOUR);
    assertEquals(T10 + HOUR, atEnd.bucket());
    assertEquals(T10 + 2 * HOUR, atEnd.firstWindowEnd());
    WindowClock.Arrival justBefore = RULES.arrive(fresh, T10 + HOUR - 1);
    assertEquals(T10, justBefore.bucket());
    assertEquals(T10 + HOUR, justBefore.firstWindowEnd());
    assertEquals(WindowClock.Kind.ON_TIME, justBefore.kind());
  }

  @Test
  void shouldCountAReadingLateByExactlyTheAllowedLatenessAndRejectOneMillisecondMore() {
    long max = T10 + 30 * HOUR;
    PatientClock clock = closedThrough(T10 + 29 * HOUR, max);
    long lateness = CONFIG.allowedLatenessMs();
    assertEquals(WindowClock.Kind.LATE, RULES.arrive(clock, max - lateness).kind());
    assertEquals(WindowClock.Kind.TOO_LATE, RULES.arrive(clock, max - lateness - 1).kind());
  }

  @Test
  void shouldTreatAReadingAsLateOnlyWhenItsFirstWindowClosed() {
    PatientClock clock = closedThrough(T10 + HOUR, T10 + HOUR + GRACE);
    assertEquals(WindowClock.Kind.LATE, RULES.arrive(clock, T10 + HOUR - 1).kind());
    assertEquals(WindowClock.Kind.ON_TIME, RULES.arrive(clock, T10 + HOUR).kind());
  }

  @Test
  void shouldCloseAWindowWhenTheClockReachesItsEndPlusGraceAndNotOneMillisecondBefore() {
    PatientClock reading =
        RULES.accept(PatientClock.starting(0), RULES.arrive(PatientClock.starting(0), T10 + 10), 1);
    assertEquals(T10 + HOUR, reading.nextEnd());
    WindowClock.Data data = from -> T10;

    PatientClock before =
        new PatientClock(
            T10 + HOUR + GRACE - 1, T10 + HOUR, PatientClock.NONE, 1, PatientClock.NONE, 0);
    WindowClock.Closing notYet = RULES.close(before, RULES.closableThrough(before), data);
    assertEquals(List.of(), notYet.closedEnds());
    assertEquals(before, notYet.clock());

    PatientClock atGrace =
        new PatientClock(
            T10 + HOUR + GRACE, T10 + HOUR, PatientClock.NONE, 1, PatientClock.NONE, 0);
    WindowClock.Closing closed = RULES.close(atGrace, RULES.closableThrough(atGrace), data);
    assertEquals(List.of(T10 + HOUR), closed.closedEnds());
    assertEquals(T10 + HOUR, closed.clock().closedThrough());
    assertEquals(T10 + 2 * HOUR, closed.clock().nextEnd());
  }

  @Test
  void shouldSkipWindowsWithoutReadingsAndStopWhenNoDataFollows() {
    PatientClock clock =
        new PatientClock(T10 + 20 * HOUR, T10 + HOUR, PatientClock.NONE, 1, PatientClock.NONE, 0);
    // Data at 10:00 and then only from 18:00 on: windows ending 11 to 13 hold 10:00; the next
    // window holding data ends at 19:00.
    WindowClock.Data data =
        from ->
            from <= T10
                ? Long.valueOf(T10)
                : from <= T10 + 8 * HOUR ? Long.valueOf(T10 + 8 * HOUR) : null;
    WindowClock.Closing closing = RULES.close(clock, T10 + 9 * HOUR, data);
    assertEquals(
        List.of(T10 + HOUR, T10 + 2 * HOUR, T10 + 3 * HOUR, T10 + 9 * HOUR), closing.closedEnds());
    WindowClock.Closing ran =
        RULES.close(clock, T10 + 30 * HOUR, from -> from <= T10 ? Long.valueOf(T10) : null);
    assertEquals(PatientClock.NONE, ran.clock().nextEnd(), "nothing left to schedule");
  }

  @Test
  void shouldReviseEveryClosedWindowALateReadingFallsInAndScheduleTheFirstOpenOne() {
    // Closed through 12:00: a reading at 10:10 falls in the windows ending 11, 12 (closed) and 13.
    PatientClock clock = closedThrough(T10 + 2 * HOUR, T10 + 2 * HOUR + GRACE);
    WindowClock.Arrival late = RULES.arrive(clock, T10 + Duration.ofMinutes(10).toMillis());
    assertEquals(WindowClock.Kind.LATE, late.kind());
    assertEquals(List.of(T10 + HOUR, T10 + 2 * HOUR), RULES.revisedEnds(clock, late));
    PatientClock idleClosed = clock.withNextEnd(PatientClock.NONE);
    assertEquals(T10 + 3 * HOUR, RULES.accept(idleClosed, late, 5).nextEnd());
    // A reading whose windows all closed schedules nothing.
    PatientClock far =
        closedThrough(T10 + 5 * HOUR, T10 + 5 * HOUR + GRACE).withNextEnd(PatientClock.NONE);
    assertEquals(PatientClock.NONE, RULES.accept(far, RULES.arrive(far, T10), 5).nextEnd());
  }

  @Test
  void shouldQueueALateReadingAsARevisionOrCountItInTheWaitingEntry() {
    DueEntry fresh = WindowClock.queueLate(null, 7, Vital.HEART_RATE);
    assertTrue(fresh.revision());
    assertEquals(1, fresh.lateReadings());
    assertEquals(7, fresh.dueSinceWall());
    DueEntry waiting = WindowClock.queueLate(DueEntry.closed(3), 7, Vital.HEART_RATE);
    assertFalse(waiting.revision(), "a first score waiting stays a first score");
    assertEquals(1, waiting.lateReadings());
    assertEquals(3, waiting.dueSinceWall());
    DueEntry twice = WindowClock.queueLate(fresh, 9, Vital.OXYGEN_SATURATION);
    assertEquals(2, twice.lateReadings());
    assertEquals(
        List.of(Vital.OXYGEN_SATURATION.code(), Vital.HEART_RATE.code()).stream().sorted().toList(),
        twice.lateVitalCodes().stream().sorted().toList());
  }

  @Test
  void shouldCallAPatientIdleFromExactlyTheIdleTimeout() {
    long idle = CONFIG.idleTimeout().toMillis();
    PatientClock clock =
        new PatientClock(T10, T10 + HOUR, PatientClock.NONE, 1_000, PatientClock.NONE, 0);
    assertFalse(RULES.idle(clock, 1_000 + idle - 1));
    assertTrue(RULES.idle(clock, 1_000 + idle));
    assertEquals(PatientClock.NONE, RULES.idleThrough(-1));
    assertEquals(T10 - GRACE, RULES.idleThrough(T10));
  }

  @Test
  void shouldLetTheWallClockCloseAWindowOnceTheGraceHasPassedSinceTheLatestReadingTime() {
    long minute = Duration.ofMinutes(1).toMillis();
    // Latest reading two minutes after the window's end, accepted at wall-clock 1,000.
    PatientClock clock =
        new PatientClock(
            T10 + HOUR + 2 * minute, T10 + HOUR, PatientClock.NONE, 1_000, PatientClock.NONE, 0);
    long wait = GRACE - 2 * minute;
    assertEquals(T10 + HOUR - 1, RULES.closableByWallThrough(clock, 1_000 + wait - 1));
    assertEquals(T10 + HOUR, RULES.closableByWallThrough(clock, 1_000 + wait));
    assertEquals(
        T10 + HOUR + 2 * minute - GRACE,
        RULES.closableByWallThrough(clock, 500),
        "a wall clock behind the acceptance adds nothing");
    assertEquals(PatientClock.NONE, RULES.closableByWallThrough(PatientClock.starting(0), 5));
  }
}
