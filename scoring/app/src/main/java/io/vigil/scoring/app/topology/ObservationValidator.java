package io.vigil.scoring.app.topology;

import io.vigil.schemas.Identifiers;
import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.vitals.RejectionReason;
import io.vigil.schemas.vitals.VitalObservation;
import java.time.Duration;
import java.time.Instant;

/**
 * Checks a decoded reading before it may count: identifiers (the rules of {@link Identifiers}, the
 * same ingest applies), unit, plausible value, time.
 */
final class ObservationValidator {
  /** How far a device clock may run ahead of the receiving server. */
  static final long CLOCK_SKEW_MS = Duration.ofMinutes(5).toMillis();

  /** A reason and a specific explanation. */
  record Problem(RejectionReason reason, String detail) {}

  private ObservationValidator() {}

  /**
   * Why a record's key (tenant, patient id) breaks the identifier rules, or null when it keeps
   * them. A null key breaks them. The detail starts with {@code key: } and names the field and the
   * rule.
   */
  static Problem keyProblem(PatientKey key) {
    return problem(Identifiers.check(key, null));
  }

  /**
   * The first problem of reading {@code o} keyed by {@code key}, or null when it can be scored: the
   * key's and the reading's identifiers (source, reading and device id), then unit, plausible value
   * and time.
   */
  static Problem check(PatientKey key, VitalObservation o) {
    Problem ids = problem(Identifiers.check(key, o));
    if (ids != null) {
      return ids;
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

  private static Problem problem(Identifiers.Violation violation) {
    if (violation == null) {
      return null;
    }
    boolean inKey =
        violation.kind() == Identifiers.Kind.TENANT
            || violation.kind() == Identifiers.Kind.PATIENT_ID;
    return new Problem(RejectionReason.INVALID_VALUE, (inKey ? "key: " : "") + violation.detail());
  }

  /**
   * How far a reading's time may lie ahead of this service's clock: the device skew again, for the
   * clocks of ingest and scoring. A reading further ahead (a platform producing straight to the
   * topic may say anything) would carry its time onto the changelog records it changes, which the
   * broker refuses beyond {@code message.timestamp.after.max.ms}, failing the stream thread on the
   * same record forever.
   */
  static final long MAX_AHEAD_MS = 2 * CLOCK_SKEW_MS;

  /** Why the reading's event time cannot be used, or null. */
  static String timeProblem(VitalObservation o) {
    long time = o.getTime().toEpochMilli();
    if (time < 0) {
      return "event time " + o.getTime() + " is before 1970";
    }
    long now = System.currentTimeMillis();
    if (time > now + MAX_AHEAD_MS) {
      return "event time "
          + o.getTime()
          + " is more than 10 minutes ahead of this service's clock ("
          + Instant.ofEpochMilli(now)
          + ")";
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
