package io.vigil.scoring.app.topology;

import io.vigil.schemas.Vital;
import io.vigil.scoring.app.state.HistoryState;
import io.vigil.scoring.app.state.HourSlot;
import io.vigil.scoring.features.HourSummary;
import io.vigil.scoring.features.WindowAssembler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One patient's closed past, per clock hour: the buckets of every window already scored, merged
 * into hour slots, from the start of the next window on. Scoring a window merges the buckets it
 * closed into this row (one or, after a gap, a few point lookups) instead of reading the window's W
 * hours of buckets back with a range scan; the bucket rows themselves stay small, so a reading
 * still writes about a hundred bytes.
 *
 * <p>Merging is exact and order-free ({@link HourSummary#merge}), so an hour slot built here is
 * bit-for-bit the slot merged from the same buckets at once.
 *
 * <p>It also remembers {@code scoresFrom}: the patient has no served score ending before it, so
 * expiring scores is normally one point lookup instead of a range scan.
 *
 * <p>Bucket rows stay after they are merged, for the allowed lateness: late readings are
 * deduplicated against them and revised windows assembled from them (see {@link PatientClock}).
 *
 * <p>Stored as a {@code HistoryState} record ({@link StateRows#histories}).
 */
final class WindowHistory {
  static final long NONE = Long.MIN_VALUE;

  private final TreeMap<Long, HourSummary[]> hours;
  private long mergedThrough;
  private long scoresFrom;

  private WindowHistory(TreeMap<Long, HourSummary[]> hours, long mergedThrough, long scoresFrom) {
    this.hours = hours;
    this.mergedThrough = mergedThrough;
    this.scoresFrom = scoresFrom;
  }

  static WindowHistory empty() {
    return new WindowHistory(new TreeMap<>(), NONE, NONE);
  }

  /** Start of the first hour slot kept: the next window's start. */
  long hoursFrom(ScoringConfig config) {
    return mergedThrough == NONE ? NONE : config.windowStart(mergedThrough + config.cadenceMs());
  }

  /** No score of the patient ends before this time; {@link #NONE} when not known. */
  long scoresFrom() {
    return scoresFrom;
  }

  void scoresFrom(long from) {
    scoresFrom = from;
  }

  /** Every bucket starting before this time is merged; {@link #NONE} when nothing is. */
  long mergedThrough() {
    return mergedThrough;
  }

  /** Hour slots by the start of their clock hour (live view; the caller must not change it). */
  Map<Long, HourSummary[]> hours() {
    return hours;
  }

  /** True when an hour starting at or after {@code from} holds readings. */
  boolean hasDataFrom(long from) {
    return hours.ceilingKey(from) != null;
  }

  /** Merges the bucket starting at {@code bucketStart} into its hour. */
  void merge(long bucketStart, HourSummary[] bucket) {
    HourRows.mergeInto(hours, bucketStart, bucket);
  }

  /**
   * Merges a reading that arrived after its bucket was merged ({@code time} before {@link
   * #mergedThrough()}) into its hour slot, if the history still keeps that hour.
   */
  void mergeLate(ScoringConfig config, long time, int vital, HourSummary reading) {
    if (mergedThrough == NONE || time >= mergedThrough) {
      return;
    }
    long hour = WindowAssembler.bucketStart(time);
    if (hour < hoursFrom(config)) {
      return;
    }
    HourSummary[] slot = hours.computeIfAbsent(hour, h -> new HourSummary[Vital.values().length]);
    HourRows.add(slot, vital, reading);
  }

  /** Records that every bucket before {@code through} is merged. */
  void mergedThrough(long through) {
    mergedThrough = through;
  }

  /** Drops the hours before {@code hourStart}, which no later window holds. */
  void evictBefore(long hourStart) {
    hours.headMap(hourStart, false).clear();
  }

  byte[] encode() {
    List<HourSlot> slots = new ArrayList<>(hours.size());
    hours.forEach((start, slot) -> slots.add(new HourSlot(start, StateRows.row(slot))));
    return StateRows.histories()
        .encode(
            new HistoryState(
                StateRows.optional(mergedThrough, NONE),
                StateRows.optional(scoresFrom, NONE),
                slots));
  }

  static WindowHistory decode(byte[] bytes) {
    if (bytes == null) {
      return empty();
    }
    HistoryState state = StateRows.decode(StateRows.histories(), bytes);
    TreeMap<Long, HourSummary[]> hours = new TreeMap<>();
    for (HourSlot slot : state.getHours()) {
      hours.put(slot.getStart(), StateRows.summaries(slot.getSummaries()));
    }
    return new WindowHistory(
        hours,
        StateRows.orNone(state.getMergedThrough(), NONE),
        StateRows.orNone(state.getScoresFrom(), NONE));
  }
}
