package io.vigil.scoring.features;

import io.vigil.schemas.Vital;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One patient's readings gathered into hour buckets as the scoring topology gathers them: per clock
 * hour ({@link WindowAssembler#bucketStart}) one {@link HourSummary} per vital. The order in which
 * readings are added does not change the buckets ({@link HourSummary#merge}).
 */
public final class HourBuckets {
  private final Map<Long, HourSummary[]> buckets = new HashMap<>();

  /** Adds one reading: its value in the vital's canonical unit, at its event time. */
  public HourBuckets add(Vital vital, double value, Instant time) {
    long millis = time.toEpochMilli();
    HourSummary[] slot =
        buckets.computeIfAbsent(
            WindowAssembler.bucketStart(millis), k -> new HourSummary[Vital.values().length]);
    slot[vital.ordinal()] = HourSummary.merge(slot[vital.ordinal()], HourSummary.of(value, millis));
    return this;
  }

  /**
   * The buckets so far, keyed by the start of their hour, as {@link WindowAssembler#assemble} takes
   * them; readings added later show in the map.
   */
  public Map<Long, HourSummary[]> buckets() {
    return buckets;
  }
}
