package io.vigil.scoring.app.topology;

import io.vigil.schemas.risk.RiskScore;
import java.util.ArrayList;
import java.util.List;

/**
 * What a patient's state keeps after a window is scored, and how a late window's score supersedes
 * the one served before:
 *
 * <ul>
 *   <li>served scores stay for the score retention, counted back from the patient's latest scored
 *       window (event time, so replays of old stays are served too);
 *   <li>bucket rows stay while a reading within the allowed lateness of the patient's latest one
 *       can still fall in them, and until they are merged into the history;
 *   <li>a revision carries the next revision number of the window's stored score, its late reading
 *       count and vitals, and the previous revision's LSTM risk and NEWS2 total.
 * </ul>
 *
 * <p>Deletions are point lookups for the cadence step or few that the clock normally moves between
 * windows, and a range sweep the first time, after a jump (and, for scores, once per day of event
 * time, which also clears scores left off the grid by an earlier cadence setting and sweeps the
 * revisions store).
 */
final class ScoreRetention {
  static final long DAY_MS = 24 * 3_600_000L;
  private static final int POINT_STEPS = 4;

  private final ScoringConfig config;

  ScoreRetention(ScoringConfig config) {
    this.config = config;
  }

  /**
   * Scores ending in {@code [from, before)} go; all before {@code before} with {@code sweep}. The
   * bounds are in the patient's own time; scores are keyed by their end in event time ({@code
   * phase} later).
   */
  record ScoreExpiry(long from, long before, boolean sweep, long phase) {
    /** Event-time ends of the scores to look up and delete (when not sweeping). */
    List<Long> pointEnds(long cadenceMs) {
      List<Long> ends = new ArrayList<>();
      for (long end = Math.floorDiv(from, cadenceMs) * cadenceMs; end < before; end += cadenceMs) {
        ends.add(end + phase);
      }
      return ends;
    }

    /** Event time before which a sweep deletes every score and revision. */
    long sweepBeforeEvent() {
      return before + phase;
    }
  }

  /**
   * Which of the patient's served scores to delete once the score of the window ending at {@code
   * windowEnd} is stored; null when none. Updates the history's {@code scoresFrom}. Decided when
   * the window is assembled, carried out when it is emitted (after the batch's earlier windows are
   * stored). Scores end on the cadence grid and are written oldest first, so from one window to the
   * next at most one expires.
   */
  ScoreExpiry expiry(WindowHistory history, long windowEnd, long phase) {
    long cutoff = windowEnd - config.scoreRetention().toMillis();
    long from = history.scoresFrom();
    if (from != WindowHistory.NONE && from >= cutoff) {
      return null;
    }
    history.scoresFrom(cutoff);
    boolean sweep =
        from == WindowHistory.NONE
            || cutoff - from > POINT_STEPS * config.cadenceMs()
            || Math.floorDiv(from, DAY_MS) != Math.floorDiv(cutoff, DAY_MS);
    return new ScoreExpiry(from, cutoff, sweep, phase);
  }

  /**
   * Bucket rows starting before {@code keepFrom} go: those from {@code from} with point deletes,
   * all with {@code sweep}.
   */
  record BucketEviction(long from, long keepFrom, boolean sweep) {
    /** Starts of the bucket rows to delete (when not sweeping). */
    List<Long> pointBuckets(long cadenceMs) {
      List<Long> starts = new ArrayList<>();
      for (long bucket = from; bucket < keepFrom; bucket += cadenceMs) {
        starts.add(bucket);
      }
      return starts;
    }
  }

  /**
   * Which bucket rows to delete once windows through {@code mergedThrough} are merged into the
   * history; null when none. Buckets from {@code mergedThrough} on are not in the history yet, and
   * later windows still need them. In whole hours: keeping up to an hour more saves rewriting the
   * clock after most windows at a sub-hour cadence.
   */
  BucketEviction bucketEviction(PatientClock clock, long mergedThrough) {
    if (clock.maxTime() == PatientClock.NONE) {
      return null;
    }
    long keepFrom =
        Math.floorDiv(
                Math.min(config.retainedFrom(clock.maxTime()), mergedThrough),
                ScoringConfig.HOUR_MS)
            * ScoringConfig.HOUR_MS;
    long from = clock.bucketsFrom();
    if (from != PatientClock.NONE && from >= keepFrom) {
      return null;
    }
    boolean sweep = from == PatientClock.NONE || keepFrom - from > POINT_STEPS * config.cadenceMs();
    return new BucketEviction(from, keepFrom, sweep);
  }

  /**
   * Marks {@code score} as the next revision of the window: its late readings and their vitals and,
   * when the window has a stored score ({@code previous}), the next revision number and the
   * previous LSTM risk and NEWS2 total. Without a stored score it stays revision 0: the window's
   * first score, from late data.
   */
  static void revise(RiskScore score, DueEntry entry, RiskScore previous) {
    score.setLateReadings(entry.lateReadings());
    score.setLateVitals(entry.lateVitalCodes());
    if (previous != null) {
      score.setRevision(previous.getRevision() + 1);
      score.setPreviousLstmRisk(previous.getLstmRisk());
      score.setPreviousNews2Total(previous.getNews2().getTotal());
    }
  }

  /** True when the window's score must be stamped against the stored one ({@link #revise}). */
  static boolean revises(DueEntry entry) {
    return entry.revision() || entry.lateReadings() > 0;
  }
}
