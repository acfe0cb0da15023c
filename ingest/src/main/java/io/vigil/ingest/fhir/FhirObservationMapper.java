package io.vigil.ingest.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import io.vigil.ingest.observations.BatchReader.Read;
import io.vigil.ingest.observations.RawReading;
import io.vigil.ingest.observations.Rejection;
import io.vigil.ingest.observations.RejectionReason;
import io.vigil.schemas.Identifiers;
import io.vigil.schemas.Identifiers.Kind;
import io.vigil.schemas.Vital;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationComponentComponent;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;

/**
 * Turns a FHIR R4 vital-signs Observation into raw readings: one for a single vital, one per
 * component for the blood-pressure panel (85354-9: systolic 8480-6, diastolic 8462-4). The reading
 * id is the Observation's id (else its first identifier), suffixed with the component's LOINC code
 * for panel components, so a resent Observation yields the same reading ids.
 */
public final class FhirObservationMapper {
  public static final String LOINC = "http://loinc.org";
  public static final String UCUM = "http://unitsofmeasure.org";
  public static final String BP_PANEL = "85354-9";
  private static final Set<ObservationStatus> MEASURED =
      Set.of(
          ObservationStatus.FINAL,
          ObservationStatus.AMENDED,
          ObservationStatus.CORRECTED,
          ObservationStatus.PRELIMINARY);

  private FhirObservationMapper() {}

  /** The readings of {@code observation} at batch position {@code index}, or its rejection. */
  public static List<Read> map(int index, Observation observation) {
    String id = readingId(observation);
    try {
      if (id == null) {
        throw problem(
            "Observation.id",
            RejectionReason.MISSING_FIELD,
            "Observation needs an id or an identifier: it names the reading, so a resend is"
                + " recognised");
      }
      String idField = hasId(observation) ? "Observation.id" : "Observation.identifier.value";
      String idProblem = Identifiers.problem(Kind.READING_ID, id, idField);
      if (idProblem != null) {
        throw problem(idField, RejectionReason.INVALID_ID, idProblem);
      }
      if (!observation.hasStatus() || !MEASURED.contains(observation.getStatus())) {
        throw problem(
            "Observation.status",
            observation.hasStatus() ? RejectionReason.INVALID_FIELD : RejectionReason.MISSING_FIELD,
            "status must be final, amended, corrected or preliminary, not "
                + (observation.hasStatus() ? observation.getStatus().toCode() : "missing"));
      }
      String patientId = patientId(observation.getSubject());
      Instant time = effective(observation.getEffective());
      String deviceId = deviceId(observation.getDevice());
      String code = loinc(observation.getCode(), "Observation.code");
      List<Read> reads = new ArrayList<>();
      if (BP_PANEL.equals(code)) {
        if (!observation.hasComponent()) {
          throw problem(
              "Observation.component",
              RejectionReason.MISSING_FIELD,
              "blood-pressure panel 85354-9 has no components (8480-6 systolic, 8462-4 diastolic)");
        }
        for (ObservationComponentComponent component : observation.getComponent()) {
          String componentCode = loinc(component.getCode(), "Observation.component.code");
          String componentId = id + ":" + componentCode;
          reads.add(
              reading(
                  index,
                  componentId,
                  patientId,
                  deviceId,
                  componentCode,
                  component.getValue(),
                  "Observation.component.value",
                  time));
        }
      } else {
        reads.add(
            reading(
                index,
                id,
                patientId,
                deviceId,
                code,
                observation.getValue(),
                "Observation.value",
                time));
      }
      return reads;
    } catch (MappingProblem p) {
      return List.of(new Read(null, new Rejection(index, id, p.field, p.reason, p.getMessage())));
    }
  }

  private static Read reading(
      int index,
      String id,
      String patientId,
      String deviceId,
      String code,
      Type value,
      String path,
      Instant time) {
    if (value == null || value.isEmpty()) {
      throw problem(path, RejectionReason.MISSING_FIELD, path + "Quantity is missing");
    }
    if (!(value instanceof Quantity quantity)) {
      throw problem(
          path,
          RejectionReason.INVALID_FIELD,
          path + " must be a valueQuantity, not " + value.fhirType());
    }
    if (!quantity.hasValue()) {
      throw problem(
          path + "Quantity.value", RejectionReason.MISSING_FIELD, "valueQuantity.value is missing");
    }
    if (quantity.hasSystem() && !UCUM.equals(quantity.getSystem())) {
      throw problem(
          path + "Quantity.system",
          RejectionReason.UNIT_NOT_CONVERTIBLE,
          "valueQuantity.system must be " + UCUM + ", not " + quantity.getSystem());
    }
    String unit = quantity.hasCode() ? quantity.getCode() : quantity.getUnit();
    if (unit == null || unit.isBlank()) {
      throw problem(
          path + "Quantity.code",
          RejectionReason.MISSING_FIELD,
          "valueQuantity.code (UCUM) is missing");
    }
    return new Read(
        new RawReading(
            index, id, patientId, deviceId, code, quantity.getValue().doubleValue(), unit, time),
        null);
  }

  private static boolean hasId(Observation observation) {
    return observation.hasIdElement() && observation.getIdElement().hasIdPart();
  }

  private static String readingId(Observation observation) {
    if (hasId(observation)) {
      return observation.getIdElement().getIdPart();
    }
    if (observation.hasIdentifier() && observation.getIdentifierFirstRep().hasValue()) {
      return observation.getIdentifierFirstRep().getValue();
    }
    return null;
  }

  private static String patientId(Reference subject) {
    if (subject == null || !subject.hasReference()) {
      throw problem(
          "Observation.subject",
          RejectionReason.MISSING_FIELD,
          "subject reference Patient/<id> is missing");
    }
    String reference = subject.getReference();
    if (!reference.startsWith("Patient/")
        || reference.length() == "Patient/".length()
        || reference.indexOf('/', "Patient/".length()) >= 0) {
      throw problem(
          "Observation.subject",
          RejectionReason.INVALID_FIELD,
          "subject must reference Patient/<id>, not "
              + (reference.length() > 64 ? reference.substring(0, 64) + "..." : reference));
    }
    String patientId = reference.substring("Patient/".length());
    String idProblem =
        Identifiers.problem(Kind.PATIENT_ID, patientId, "Observation.subject patient id");
    if (idProblem != null) {
      throw problem("Observation.subject", RejectionReason.INVALID_ID, idProblem);
    }
    return patientId;
  }

  private static String deviceId(Reference device) {
    if (device == null || !device.hasReference()) {
      return null;
    }
    String reference = device.getReference();
    String deviceId =
        reference.startsWith("Device/") ? reference.substring("Device/".length()) : reference;
    String idProblem = Identifiers.problem(Kind.DEVICE_ID, deviceId, "Observation.device id");
    if (idProblem != null) {
      throw problem("Observation.device", RejectionReason.INVALID_ID, idProblem);
    }
    return deviceId;
  }

  private static Instant effective(Type effective) {
    if (effective == null || effective.isEmpty()) {
      throw problem(
          "Observation.effective[x]",
          RejectionReason.MISSING_FIELD,
          "effectiveDateTime or effectiveInstant is missing");
    }
    if (!(effective instanceof BaseDateTimeType time)) {
      throw problem(
          "Observation.effective[x]",
          RejectionReason.INVALID_FIELD,
          "effective must be effectiveDateTime or effectiveInstant, not " + effective.fhirType());
    }
    if (time.getPrecision().ordinal() < TemporalPrecisionEnum.MINUTE.ordinal()
        || time.getTimeZone() == null) {
      throw problem(
          "Observation.effective[x]",
          RejectionReason.INVALID_FIELD,
          "effective time " + time.getValueAsString() + " needs a time of day and a UTC offset");
    }
    return time.getValue().toInstant();
  }

  /** The first LOINC coding Vigil knows (or the BP panel); else the reason it is unusable. */
  private static String loinc(CodeableConcept concept, String path) {
    Optional<String> any = Optional.empty();
    for (Coding coding : concept.getCoding()) {
      if (LOINC.equals(coding.getSystem()) && coding.hasCode()) {
        String code = coding.getCode().trim();
        if (BP_PANEL.equals(code) || Vital.byCode(code).isPresent()) {
          return code;
        }
        any = any.or(() -> Optional.of(code));
      }
    }
    throw problem(
        path,
        RejectionReason.UNKNOWN_CODE,
        any.map(c -> "LOINC " + c + " is not a vital sign Vigil scores")
            .orElse("no LOINC coding (system " + LOINC + ") in " + path));
  }

  private static MappingProblem problem(String field, RejectionReason reason, String message) {
    return new MappingProblem(field, reason, message);
  }

  private static final class MappingProblem extends RuntimeException {
    final String field;
    final RejectionReason reason;

    MappingProblem(String field, RejectionReason reason, String message) {
      super(message, null, false, false);
      this.field = field;
      this.reason = reason;
    }
  }
}
