package io.vigil.scoring.app.topology;

import io.vigil.schemas.Vital;
import io.vigil.scoring.features.HourSummary;
import io.vigil.scoring.features.WindowAssembler;
import java.nio.ByteBuffer;
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
 * <p>Stored form: version byte, {@code mergedThrough} (8 bytes), {@code scoresFrom} (8 bytes), hour
 * count (2 bytes), then per hour its start (8 bytes) and its {@link BucketRow}. About 0.3 KiB per
 * hour with every vital. Hour slots use {@link BucketRow}'s form without reading hashes.
 */
final class WindowHistory {
  static final long NONE = Long.MIN_VALUE;
  private static final byte VERSION = 2;

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
    int size = 1 + 8 + 8 + 2;
    byte[][] rows = new byte[hours.size()][];
    int i = 0;
    for (HourSummary[] slot : hours.values()) {
      rows[i] = BucketRow.encodeSummaries(slot);
      size += 8 + rows[i].length;
      i++;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(VERSION).putLong(mergedThrough).putLong(scoresFrom).putShort((short) hours.size());
    i = 0;
    for (Long hour : hours.keySet()) {
      out.putLong(hour).put(rows[i++]);
    }
    return out.array();
  }

  static WindowHistory decode(byte[] bytes) {
    if (bytes == null) {
      return empty();
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte version = in.get();
    if (version < 1 || version > VERSION) {
      throw new IllegalStateException("unknown window history version " + version);
    }
    long through = in.getLong();
    // Version 1 rows (before scoresFrom) make the next expiry a range sweep.
    long scores = version == 1 ? NONE : in.getLong();
    int n = Short.toUnsignedInt(in.getShort());
    TreeMap<Long, HourSummary[]> hours = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      long hour = in.getLong();
      hours.put(hour, BucketRow.read(in, Vital.values().length));
    }
    return new WindowHistory(hours, through, scores);
  }
}
