package io.vigil.scoring.app.topology;

import io.vigil.schemas.Vital;
import io.vigil.schemas.vitals.RejectionReason;
import io.vigil.schemas.vitals.VitalObservation;
import java.time.Duration;

/** Checks a decoded reading before it may count: identifiers, unit, plausible value, time. */
final class ObservationValidator {
  /** How far a device clock may run ahead of the receiving server. */
  static final long CLOCK_SKEW_MS = Duration.ofMinutes(5).toMillis();

  /** A reason and a specific explanation. */
  record Problem(RejectionReason reason, String detail) {}

  private ObservationValidator() {}

  /** The first problem of {@code o}, or null when it can be scored. */
  static Problem check(VitalObservation o) {
    if (o.getReadingId() == null || o.getReadingId().isBlank()) {
      return new Problem(RejectionReason.INVALID_VALUE, "readingId is blank");
    }
    if (o.getSourceId() == null || o.getSourceId().isBlank()) {
      return new Problem(RejectionReason.INVALID_VALUE, "sourceId is blank");
    }
    Vital vital = Vital.of(o.getVital());
    if (!vital.unit().equals(o.getUnit())) {
      return new Problem(
          RejectionReason.INVALID_VALUE,
          vital.code() + " must be in " + vital.unit() + ", got unit '" + o.getUnit() + "'");
    }
    if (!vital.isPlausible(o.getValue())) {
      return new Problem(
          RejectionReason.OUT_OF_RANGE,
          vital.code()
              + " "
              + o.getValue()
              + " "
              + vital.unit()
              + " is outside the plausible range "
              + vital.min()
              + " to "
              + vital.max());
    }
    String time = timeProblem(o);
    return time == null ? null : new Problem(RejectionReason.INVALID_VALUE, time);
  }

  /** Why the reading's event time cannot be used, or null. */
  static String timeProblem(VitalObservation o) {
    long time = o.getTime().toEpochMilli();
    if (time < 0) {
      return "event time " + o.getTime() + " is before 1970";
    }
    long received = o.getTimeReceived().toEpochMilli();
    if (time > received + CLOCK_SKEW_MS) {
      return "event time "
          + o.getTime()
          + " is more than 5 minutes after the reading was received ("
          + o.getTimeReceived()
          + "): device clock wrong";
    }
    return null;
  }
}
