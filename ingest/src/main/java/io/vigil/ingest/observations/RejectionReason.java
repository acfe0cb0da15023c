package io.vigil.ingest.observations;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why one reading of a batch was not accepted; the JSON and metric label is {@link #code()}. */
public enum RejectionReason {
  MISSING_FIELD,
  INVALID_FIELD,
  /** A reading, patient or device id breaks {@link io.vigil.schemas.Identifiers}' rules. */
  INVALID_ID,
  UNKNOWN_CODE,
  UNIT_NOT_CONVERTIBLE,
  NON_FINITE_VALUE,
  OUT_OF_RANGE,
  TIME_IN_FUTURE,
  TIME_TOO_OLD,
  DUPLICATE_ID,
  /** A new patient beyond the tenant's bound of patients. */
  PATIENT_LIMIT;

  @JsonValue
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
