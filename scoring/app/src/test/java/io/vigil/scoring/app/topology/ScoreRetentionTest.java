package io.vigil.scoring.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.testing.SampleRecords;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreRetentionTest {
  private static final ScoringConfig CONFIG = ScoringDriver.smallConfig();
  private static final ScoreRetention RETENTION = new ScoreRetention(CONFIG);
  private static final long HOUR = ScoringConfig.HOUR_MS;
  private static final long RETAIN = CONFIG.scoreRetention().toMillis();
  // 10:00 on a day, so that a few hours on stay within that day.
  private static final long T10 = Instant.parse("2026-01-05T10:00:00Z").toEpochMilli();

  @Test
  void shouldSweepTheFirstTimeThenDeleteTheOneExpiredScoreByPointLookup() {
    WindowHistory history = WindowHistory.empty();
    ScoreRetention.ScoreExpiry first = RETENTION.expiry(history, T10 + RETAIN, 0);
    assertTrue(first.sweep());
    assertEquals(T10, history.scoresFrom());
    assertNull(RETENTION.expiry(history, T10 + RETAIN, 0), "nothing more expired");
    ScoreRetention.ScoreExpiry next = RETENTION.expiry(history, T10 + HOUR + RETAIN, 7);
    assertFalse(next.sweep());
    assertEquals(List.of(T10 + 7), next.pointEnds(HOUR), "the score ending at 10:00, phase 7 ms");
  }

  @Test
  void shouldSweepAfterAJumpOfMoreThanFourCadenceStepsAndNotAtExactlyFour() {
    WindowHistory history = WindowHistory.empty();
    RETENTION.expiry(history, T10 + RETAIN, 0);
    ScoreRetention.ScoreExpiry four = RETENTION.expiry(history, T10 + 4 * HOUR + RETAIN, 0);
    assertFalse(four.sweep());
    assertEquals(List.of(T10, T10 + HOUR, T10 + 2 * HOUR, T10 + 3 * HOUR), four.pointEnds(HOUR));
    ScoreRetention.ScoreExpiry jump = RETENTION.expiry(history, T10 + 8 * HOUR + 1 + RETAIN, 0);
    assertTrue(jump.sweep());
    assertEquals(T10 + 8 * HOUR + 1, jump.sweepBeforeEvent());
  }

  @Test
  void shouldSweepOnceTheCutoffCrossesIntoANewDay() {
    long lateEvening = Instant.parse("2026-01-05T23:00:00Z").toEpochMilli();
    WindowHistory history = WindowHistory.empty();
    RETENTION.expiry(history, lateEvening + RETAIN, 0);
    assertTrue(RETENTION.expiry(history, lateEvening + HOUR + RETAIN, 0).sweep());
  }

  @Test
  void shouldKeepBucketRowsAReadingWithinTheAllowedLatenessCanStillFallIn() {
    assertNull(RETENTION.bucketEviction(PatientClock.starting(0), T10), "no reading yet");
    long max = T10 + 40 * HOUR;
    PatientClock clock = new PatientClock(max, max + HOUR, max, 0, PatientClock.NONE, 0);
    ScoreRetention.BucketEviction first = RETENTION.bucketEviction(clock, max);
    assertTrue(first.sweep());
    long keepFrom = CONFIG.retainedFrom(max);
    assertEquals(keepFrom, first.keepFrom());
    assertEquals(T10 + 40 * HOUR - 24 * HOUR - 2 * HOUR, keepFrom, "lateness, then the window");
    assertNull(RETENTION.bucketEviction(clock.withBucketsFrom(keepFrom), max));
    // Nothing merged yet is evicted, even when older than the lateness horizon.
    assertEquals(T10, RETENTION.bucketEviction(clock, T10).keepFrom());
    PatientClock hourLater =
        new PatientClock(max + HOUR, max + 2 * HOUR, max + HOUR, 0, keepFrom, 0);
    ScoreRetention.BucketEviction step = RETENTION.bucketEviction(hourLater, max + HOUR);
    assertFalse(step.sweep());
    assertEquals(List.of(keepFrom), step.pointBuckets(HOUR));
  }

  @Test
  void shouldNumberARevisionAfterTheStoredScoreAndCarryItsValues() {
    RiskScore previous = SampleRecords.riskScore();
    previous.setRevision(2);
    DueEntry entry = DueEntry.revised(0, Vital.HEART_RATE).withLateReading(Vital.HEART_RATE);
    RiskScore score = SampleRecords.riskScore();
    score.setLstmRisk(0.9);
    ScoreRetention.revise(score, entry, previous);
    assertEquals(3, score.getRevision());
    assertEquals(2, score.getLateReadings());
    assertEquals(List.of(Vital.HEART_RATE.code()), score.getLateVitals());
    assertEquals(previous.getLstmRisk(), score.getPreviousLstmRisk());
    assertEquals(previous.getNews2().getTotal(), score.getPreviousNews2Total());

    RiskScore firstFromLateData = SampleRecords.riskScore();
    ScoreRetention.revise(firstFromLateData, DueEntry.revised(0, Vital.HEART_RATE), null);
    assertEquals(0, firstFromLateData.getRevision());
    assertEquals(1, firstFromLateData.getLateReadings());
    assertNull(firstFromLateData.getPreviousLstmRisk());
    assertTrue(ScoreRetention.revises(DueEntry.closed(0).withLateReading(Vital.HEART_RATE)));
    assertFalse(ScoreRetention.revises(DueEntry.closed(0)));
  }
}
