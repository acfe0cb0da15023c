package io.vigil.scoring.app.topology;

import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.RejectionReason;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The key of a raw record of a patient topic, read before anything else of the record: a key that
 * is not a {@code PatientKey} is UNDECODABLE or UNKNOWN_SCHEMA (detail {@code key: ...}), a missing
 * one INVALID_VALUE, one whose tenant or patient id breaks the identifier rules INVALID_VALUE with
 * the field and the rule. The intake and context processors reject such a record alike.
 *
 * @param key the patient, or null when the record is rejected
 * @param problem why the record is rejected, or null when its key keeps the rules
 */
record RawPatientKey(PatientKey key, ObservationValidator.Problem problem) {
  static RawPatientKey read(byte[] raw) {
    PatientKey key;
    try {
      key = Topics.PATIENT_KEY.decode(raw);
    } catch (SerializationException e) {
      return rejected(Rejections.reasonOf(e), "key: " + Rejections.describeMessage(e));
    }
    if (key == null) {
      return rejected(RejectionReason.INVALID_VALUE, "record has no patient key");
    }
    ObservationValidator.Problem problem = ObservationValidator.keyProblem(key);
    return problem == null ? new RawPatientKey(key, null) : new RawPatientKey(null, problem);
  }

  private static RawPatientKey rejected(RejectionReason reason, String detail) {
    return new RawPatientKey(null, new ObservationValidator.Problem(reason, detail));
  }
}
