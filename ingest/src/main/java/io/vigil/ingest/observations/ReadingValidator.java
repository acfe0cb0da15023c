package io.vigil.ingest.observations;

import io.vigil.schemas.Identifiers;
import io.vigil.schemas.Identifiers.Kind;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.vitals.VitalObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks readings against the identifier rules ({@link Identifiers}), the vital catalogue and the
 * time limits and turns valid ones into {@link VitalObservation}s in canonical units. One instance
 * per batch: it remembers the ids it has seen to reject duplicates within the batch (the first
 * occurrence wins).
 */
public final class ReadingValidator {
  private final String tenant;
  private final String sourceId;
  private final Instant received;
  private final Duration maxAge;
  private final Duration maxFuture;
  private final Set<String> seenIds = new HashSet<>();

  public ReadingValidator(
      String tenant, String sourceId, Instant received, Duration maxAge, Duration maxFuture) {
    this.tenant = tenant;
    this.sourceId = sourceId;
    this.received = received;
    this.maxAge = maxAge;
    this.maxFuture = maxFuture;
  }

  /** Claims an id for this batch; false when an earlier reading of the batch had it. */
  public boolean claimId(String id) {
    return seenIds.add(id);
  }

  /** A valid reading, or the first reason it is not. */
  public Result validate(RawReading raw) {
    String idProblem = Identifiers.problem(Kind.READING_ID, raw.id(), "id");
    if (idProblem != null) {
      return reject(raw, "id", RejectionReason.INVALID_ID, idProblem);
    }
    String patientProblem = Identifiers.patientIdProblem(raw.patientId());
    if (patientProblem != null) {
      return reject(raw, "patientId", RejectionReason.INVALID_ID, patientProblem);
    }
    String deviceProblem = Identifiers.deviceIdProblem(raw.deviceId());
    if (deviceProblem != null) {
      return reject(raw, "deviceId", RejectionReason.INVALID_ID, deviceProblem);
    }
    Optional<Vital> found = Vital.byCode(raw.code());
    if (found.isEmpty()) {
      return reject(
          raw,
          "code",
          RejectionReason.UNKNOWN_CODE,
          "unknown vital '"
              + raw.code()
              + "'; expected a Vigil name (heart_rate, ...) or its LOINC code");
    }
    Vital vital = found.get();
    if (!Double.isFinite(raw.value())) {
      return reject(
          raw,
          "value",
          RejectionReason.NON_FINITE_VALUE,
          "value must be a finite number, not " + raw.value());
    }
    Optional<Double> converted = UnitConverter.toCanonical(vital, raw.unit(), raw.value());
    if (converted.isEmpty()) {
      return reject(
          raw,
          "unit",
          RejectionReason.UNIT_NOT_CONVERTIBLE,
          "unit '"
              + raw.unit()
              + "' cannot be converted to "
              + vital.unit()
              + " for "
              + vital.code()
              + "; accepted UCUM units: "
              + String.join(", ", UnitConverter.accepted(vital)));
    }
    double value = converted.get();
    if (!vital.isPlausible(value)) {
      return reject(
          raw,
          "value",
          RejectionReason.OUT_OF_RANGE,
          String.format(
              Locale.ROOT,
              "%s %s %s is outside the plausible range %s..%s %s",
              vital.code(),
              trim(value),
              vital.unit(),
              trim(vital.min()),
              trim(vital.max()),
              vital.unit()));
    }
    if (raw.time().isAfter(received.plus(maxFuture))) {
      return reject(
          raw,
          "time",
          RejectionReason.TIME_IN_FUTURE,
          "time "
              + raw.time()
              + " is more than "
              + maxFuture
              + " ahead of the server clock ("
              + received
              + ")");
    }
    if (raw.time().isBefore(received.minus(maxAge))) {
      return reject(
          raw,
          "time",
          RejectionReason.TIME_TOO_OLD,
          "time " + raw.time() + " is older than the accepted age of " + maxAge.toDays() + " days");
    }
    boolean loincGiven = vital.loincCodes().contains(raw.code().trim());
    String canonical = vital.unit();
    boolean changed = !canonical.equals(raw.unit());
    VitalObservation observation =
        VitalObservation.newBuilder()
            .setReadingId(raw.id())
            .setSourceId(sourceId)
            .setDeviceId(raw.deviceId())
            .setVital(vital.type())
            .setLoinc(loincGiven ? raw.code().trim() : vital.loinc())
            .setValue(value)
            .setUnit(canonical)
            .setTime(raw.time())
            .setTimeReceived(received)
            .setOriginalValue(changed ? raw.value() : null)
            .setOriginalUnit(changed ? raw.unit() : null)
            .build();
    return new Result(PatientKeys.of(tenant, raw.patientId()), observation, null);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static Result reject(
      RawReading raw, String field, RejectionReason reason, String detail) {
    return new Result(null, null, new Rejection(raw.index(), raw.id(), field, reason, detail));
  }

  /** Either a keyed observation or a rejection. */
  public record Result(PatientKey key, VitalObservation observation, Rejection rejection) {
    public boolean accepted() {
      return rejection == null;
    }
  }
}
