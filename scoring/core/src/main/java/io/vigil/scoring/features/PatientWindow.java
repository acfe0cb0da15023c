package io.vigil.scoring.features;

import io.vigil.schemas.Vital;
import io.vigil.schemas.patients.Sex;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One patient's scoring window: the last {@code slots.size()} clock hours before {@code windowEnd},
 * oldest first. Build it with {@link WindowAssembler} (the scoring topology and the PhysioNet
 * reader both do), never by hand, so that live and offline windows are identical.
 *
 * @param windowEnd exclusive end of the window (on a whole hour with hourly cadence)
 * @param slots one entry per clock hour, oldest first, the last being the hour that contains {@code
 *     windowEnd - 1 ms}; each is a {@code HourSummary[]} indexed by {@link Vital#ordinal()}, an
 *     element being null when that vital had no reading in that hour
 * @param age age in years, null when unknown
 * @param sex administrative sex, null when unknown
 * @param monitoringStart when monitoring of this patient started, null when unknown
 */
public record PatientWindow(
    Instant windowEnd, List<HourSummary[]> slots, Double age, Sex sex, Instant monitoringStart) {

  public static final Duration HOUR = Duration.ofHours(1);

  public PatientWindow {
    slots = List.copyOf(slots);
    for (HourSummary[] slot : slots) {
      if (slot.length != Vital.values().length) {
        throw new IllegalArgumentException(
            "a slot holds one summary per vital ("
                + Vital.values().length
                + "), got "
                + slot.length);
      }
    }
  }

  public int hours() {
    return slots.size();
  }

  /** Inclusive start of the window: the start of the first slot's clock hour. */
  public Instant windowStart() {
    long last = WindowAssembler.bucketStart(windowEnd.toEpochMilli() - 1);
    return Instant.ofEpochMilli(last - (slots.size() - 1L) * WindowAssembler.HOUR_MILLIS);
  }

  /** Exclusive end of slot {@code i}: the end of its clock hour, or the window end if earlier. */
  public Instant slotEnd(int i) {
    Instant hourEnd = windowStart().plus(HOUR.multipliedBy(i + 1L));
    return hourEnd.isAfter(windowEnd) ? windowEnd : hourEnd;
  }

  /** The summary of {@code vital} in slot {@code i}, or null. */
  public HourSummary summary(int i, Vital vital) {
    return slots.get(i)[vital.ordinal()];
  }

  /** This window with every reading of {@code vital} removed (used for occlusion attribution). */
  public PatientWindow without(Vital vital) {
    List<HourSummary[]> copy =
        slots.stream()
            .map(
                s -> {
                  HourSummary[] c = s.clone();
                  c[vital.ordinal()] = null;
                  return c;
                })
            .toList();
    return new PatientWindow(windowEnd, copy, age, sex, monitoringStart);
  }

  /** Number of hours in the window in which {@code vital} has at least one reading. */
  public int observedHours(Vital vital) {
    int n = 0;
    for (HourSummary[] slot : slots) {
      if (slot[vital.ordinal()] != null) {
        n++;
      }
    }
    return n;
  }
}
