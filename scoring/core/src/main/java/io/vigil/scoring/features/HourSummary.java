package io.vigil.scoring.features;

/**
 * Summary of one vital sign's readings inside one clock-hour bucket: count, mean, min, max, and the
 * latest reading with its time.
 *
 * <p>Every operation is order-independent, so a bucket built from out-of-order or replayed readings
 * is bit-for-bit the one built in order: the sum is kept in fixed point ({@link #SCALE} units per
 * unit of the vital, i.e. values are quantised to 1e-6 before summing, so addition is exact and
 * commutative), min and max are order-free, and the "last" reading is the one with the latest time,
 * ties broken by the larger value. Deduplication of repeated readings is the caller's job (the
 * scoring topology deduplicates by reading id before adding).
 *
 * <p>Immutable. The scoring topology stores it as the {@code VitalSummary} Avro record of its state
 * rows.
 *
 * @param count number of readings
 * @param sumScaled sum of the readings, in 1e-6 of the vital's unit
 * @param min smallest reading
 * @param max largest reading
 * @param last the latest reading (ties on time: the larger value)
 * @param lastTimeMillis event time of {@code last}, milliseconds since the Unix epoch
 */
public record HourSummary(
    int count, long sumScaled, double min, double max, double last, long lastTimeMillis) {

  /** Fixed-point units per unit of the vital used for the exact sum. */
  public static final double SCALE = 1_000_000d;

  public HourSummary {
    if (count < 1) {
      throw new IllegalArgumentException(
          "an hour summary holds at least one reading, got " + count);
    }
  }

  /** A bucket holding one reading. */
  public static HourSummary of(double value, long timeMillis) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("reading value must be finite, got " + value);
    }
    return new HourSummary(1, Math.round(value * SCALE), value, value, value, timeMillis);
  }

  /** This bucket with one more reading. */
  public HourSummary add(double value, long timeMillis) {
    return merge(of(value, timeMillis));
  }

  /** Union of two buckets of the same vital and hour; commutative and associative. */
  public HourSummary merge(HourSummary other) {
    boolean otherIsLater =
        other.lastTimeMillis > lastTimeMillis
            || (other.lastTimeMillis == lastTimeMillis && Double.compare(other.last, last) > 0);
    return new HourSummary(
        count + other.count,
        sumScaled + other.sumScaled,
        Math.min(min, other.min),
        Math.max(max, other.max),
        otherIsLater ? other.last : last,
        otherIsLater ? other.lastTimeMillis : lastTimeMillis);
  }

  /** Mean of the readings (of their values quantised to 1e-6). */
  public double mean() {
    return sumScaled / SCALE / count;
  }

  /** Merges {@code b} into {@code a} where either may be null (no readings). */
  public static HourSummary merge(HourSummary a, HourSummary b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a.merge(b);
  }
}
