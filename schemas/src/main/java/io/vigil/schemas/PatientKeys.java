package io.vigil.schemas;

import io.vigil.schemas.common.PatientKey;

/** The patient key's text form, {@code tenant/patientId}, used in URLs, logs and the UI. */
public final class PatientKeys {
  private PatientKeys() {}

  public static PatientKey of(String tenant, String patientId) {
    if (tenant == null || tenant.isBlank() || tenant.contains("/")) {
      throw new IllegalArgumentException("tenant must be non-blank and contain no '/': " + tenant);
    }
    if (patientId == null || patientId.isBlank()) {
      throw new IllegalArgumentException("patientId must be non-blank");
    }
    return new PatientKey(tenant, patientId);
  }

  public static String format(PatientKey key) {
    return key.getTenant() + "/" + key.getPatientId();
  }

  /** Parses {@code tenant/patientId}; the patient id may itself contain '/'. */
  public static PatientKey parse(String text) {
    int slash = text == null ? -1 : text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1) {
      throw new IllegalArgumentException("patient key must be tenant/patientId: " + text);
    }
    return of(text.substring(0, slash), text.substring(slash + 1));
  }
}
