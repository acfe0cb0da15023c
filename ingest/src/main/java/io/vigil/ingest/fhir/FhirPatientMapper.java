package io.vigil.ingest.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.ingest.patients.PatientContextService;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Type;

/**
 * Reads a FHIR R4 {@code Patient} as a patient context document, so that it is checked by the very
 * rules of {@code PUT /v1/patients/{patientId}}: {@code id} (else the first {@code
 * identifier.value}) is the patient id, {@code gender} the sex, {@code birthDate} the age in whole
 * years on the day received, and the care teams, oxygen therapy, SpO2 scale 2, ACVPU with its time
 * and the start of monitoring are extensions {@code urn:vigil:fhir:<field>}. Other extensions are
 * ignored as FHIR allows; a modifier extension is not understood and rejects the Patient.
 */
public final class FhirPatientMapper {
  public static final String EXTENSION_PREFIX = "urn:vigil:fhir:";

  /** Extension name to the context field it carries. */
  private static final Map<String, String> EXTENSIONS =
      Map.of(
          "care-team", "careTeams",
          "oxygen-therapy", "oxygenTherapy",
          "spo2-scale2", "spo2Scale2",
          "consciousness", "consciousness",
          "consciousness-time", "consciousnessTime",
          "monitoring-start", "monitoringStart");

  private static final Map<String, String> ELEMENTS =
      Map.of("patientId", "Patient.id", "age", "Patient.birthDate", "sex", "Patient.gender");

  private FhirPatientMapper() {}

  /** Checks {@code patient} at Bundle position {@code index} within {@code batch}. */
  public static PatientContextService.Item check(
      PatientContextService.Batch batch, int index, Patient patient) {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    String id =
        patient.hasIdElement() && patient.getIdElement().hasIdPart()
            ? patient.getIdElement().getIdPart()
            : patient.hasIdentifier() ? patient.getIdentifierFirstRep().getValue() : null;
    if (patient.hasGender()) {
      doc.put("sex", patient.getGender().toCode());
    }
    if (patient.hasBirthDate()) {
      doc.set("age", age(patient.getBirthDateElement().getValueAsString(), batch));
    }
    for (Extension extension : patient.getExtension()) {
      String url = extension.getUrl();
      if (url == null || !url.startsWith(EXTENSION_PREFIX)) {
        continue;
      }
      String field = EXTENSIONS.get(url.substring(EXTENSION_PREFIX.length()));
      JsonNode value = value(extension.getValue());
      if (field == null) {
        doc.set(url, value); // reported as an unknown field
      } else if ("careTeams".equals(field)) {
        ArrayNode teams = doc.has(field) ? (ArrayNode) doc.get(field) : doc.putArray(field);
        teams.add(value);
      } else {
        doc.set(field, value);
      }
    }
    if (patient.hasModifierExtension()) {
      doc.put("modifierExtension", "not understood");
    }
    return batch.check(
        index,
        id == null ? null : JsonNodeFactory.instance.textNode(id),
        doc,
        FhirPatientMapper::element);
  }

  /** The FHIR element a context field comes from. */
  static String element(String field) {
    String element = ELEMENTS.get(field);
    if (element != null) {
      return element;
    }
    if (field.startsWith(EXTENSION_PREFIX)) {
      return "Patient.extension.where(url='" + field + "')";
    }
    if ("modifierExtension".equals(field)) {
      return "Patient.modifierExtension";
    }
    for (Map.Entry<String, String> e : EXTENSIONS.entrySet()) {
      if (e.getValue().equals(field)) {
        return "Patient.extension.where(url='" + EXTENSION_PREFIX + e.getKey() + "')";
      }
    }
    return "Patient." + field;
  }

  /** Whole years from a FHIR date (year, year-month or full date) to the day received, UTC. */
  private static JsonNode age(String birthDate, PatientContextService.Batch batch) {
    String full =
        birthDate.length() == 4
            ? birthDate + "-01-01"
            : birthDate.length() == 7 ? birthDate + "-01" : birthDate;
    try {
      LocalDate born = LocalDate.parse(full);
      LocalDate today = batch.now().atZone(ZoneOffset.UTC).toLocalDate();
      return JsonNodeFactory.instance.numberNode(Period.between(born, today).getYears());
    } catch (DateTimeParseException e) {
      return JsonNodeFactory.instance.textNode(birthDate);
    }
  }

  /**
   * A primitive's JSON value (booleans stay booleans); a complex datatype becomes an object, which
   * every field rejects as the wrong type.
   */
  private static JsonNode value(Type value) {
    if (value instanceof BooleanType b && b.getValue() != null) {
      return JsonNodeFactory.instance.booleanNode(b.getValue());
    }
    if (value instanceof PrimitiveType<?> p && p.getValueAsString() != null) {
      return JsonNodeFactory.instance.textNode(p.getValueAsString());
    }
    ObjectNode complex = JsonNodeFactory.instance.objectNode();
    complex.put("type", value == null ? "none" : value.fhirType());
    return complex;
  }
}
