package io.vigil.scoring.features;

import io.vigil.schemas.Vital;
import io.vigil.schemas.patients.Sex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link PatientWindow} from a patient's hour buckets. The one place where buckets become
 * a window: the scoring topology and the offline tools ({@code StayWindows}, the simulator check)
 * both call it, so their features agree.
 *
 * <p>Buckets are keyed by the start of their clock hour ({@link #bucketStart}). The window's last
 * slot is the hour that contains {@code windowEnd - 1 ms}; with hourly cadence {@code windowEnd} is
 * on the hour and the last slot is the hour just ended.
 */
public final class WindowAssembler {
  public static final long HOUR_MILLIS = 3_600_000L;

  private final int hours;

  public WindowAssembler(int hours) {
    if (hours < 1) {
      throw new IllegalArgumentException("window must span at least one hour, got " + hours);
    }
    this.hours = hours;
  }

  public int hours() {
    return hours;
  }

  /** Start of the clock hour containing {@code timeMillis} (the bucket key of a reading). */
  public static long bucketStart(long timeMillis) {
    return Math.floorDiv(timeMillis, HOUR_MILLIS) * HOUR_MILLIS;
  }

  /**
   * The window ending at {@code windowEnd}.
   *
   * @param buckets bucket start (epoch millis) to summaries indexed by {@link Vital#ordinal()};
   *     buckets outside the window are ignored, missing hours are empty slots
   */
  public PatientWindow assemble(
      Instant windowEnd,
      Map<Long, HourSummary[]> buckets,
      Double age,
      Sex sex,
      Instant monitoringStart) {
    long lastBucket = bucketStart(windowEnd.toEpochMilli() - 1);
    long first = lastBucket - (hours - 1) * HOUR_MILLIS;
    List<HourSummary[]> slots = new ArrayList<>(hours);
    for (int i = 0; i < hours; i++) {
      HourSummary[] bucket = buckets.get(first + i * HOUR_MILLIS);
      slots.add(bucket == null ? new HourSummary[Vital.values().length] : bucket.clone());
    }
    return new PatientWindow(windowEnd, slots, age, sex, monitoringStart);
  }
}
