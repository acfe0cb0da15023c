package io.vigil.scoring.app.topology;

import io.vigil.scoring.features.HourSummary;
import io.vigil.scoring.features.WindowAssembler;
import java.util.Map;

/**
 * Bucketing of readings into rows of {@link HourSummary} per vital (indexed by {@code
 * Vital.ordinal()}): a reading joins the row of its cadence bucket, and buckets join the slot of
 * their clock hour when a window is assembled. Merging is exact and order-free ({@link
 * HourSummary#merge}), so a slot is bit-for-bit the same whichever way its readings arrived.
 */
final class HourRows {
  private HourRows() {}

  /** Adds one reading of vital {@code vital} to {@code row} (in place). */
  static void add(HourSummary[] row, int vital, HourSummary reading) {
    row[vital] = HourSummary.merge(row[vital], reading);
  }

  /** Merges the bucket starting at {@code bucketStart} into its hour slot of {@code hours}. */
  static void mergeInto(Map<Long, HourSummary[]> hours, long bucketStart, HourSummary[] bucket) {
    HourSummary[] slot =
        hours.computeIfAbsent(
            WindowAssembler.bucketStart(bucketStart), h -> new HourSummary[bucket.length]);
    for (int v = 0; v < bucket.length; v++) {
      slot[v] = HourSummary.merge(slot[v], bucket[v]);
    }
  }
}
