package io.vigil.alerts.fhir;

import io.vigil.alerts.api.RiskDetails;
import io.vigil.alerts.view.AlertSummary;
import io.vigil.schemas.risk.RiskScore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Flag.FlagStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.RiskAssessment.RiskAssessmentStatus;

/**
 * An alert as FHIR R4 resources: a {@code Flag} (the alert, active until resolved) and a {@code
 * RiskAssessment} (the evidence), in a {@code collection} Bundle. The patient appears only as an
 * identifier holding the patient key. An alert resting on late data says so in the Flag's text, and
 * a re-scored window in the RiskAssessment's note, each with the window's own end. {@link FhirJson}
 * writes them.
 */
public final class FhirRenderer {
  public static final String PATIENT_KEY_SYSTEM = "urn:vigil:patient-key";
  public static final String CAUSE_SYSTEM = "https://vigil.io/fhir/CodeSystem/alert-cause";
  static final String FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category";
  static final String FLAG_PRIORITY_EXT = "http://hl7.org/fhir/StructureDefinition/flag-priority";
  static final String FLAG_PRIORITY_CODES = "http://hl7.org/fhir/flag-priority-code";

  private FhirRenderer() {}

  public static Bundle bundle(AlertSummary alert, RiskScore latest) {
    return bundle(alert, latest == null ? null : RiskDetails.of(List.of(latest)));
  }

  /** The bundle with the newest window's evidence as the alert card shows it (none: no score). */
  public static Bundle bundle(AlertSummary alert, RiskDetails latest) {
    Bundle bundle = new Bundle().setType(BundleType.COLLECTION);
    for (Resource resource : List.of(flag(alert), riskAssessment(alert, latest))) {
      bundle.addEntry().setFullUrl("urn:uuid:" + resource.getIdPart()).setResource(resource);
    }
    return bundle;
  }

  public static Flag flag(AlertSummary a) {
    Flag flag = new Flag();
    flag.setId(a.alertId());
    flag.addExtension(
        FLAG_PRIORITY_EXT,
        new CodeableConcept(
            new Coding(
                FLAG_PRIORITY_CODES, priorityCode(a.priority()), a.priority() + " priority")));
    flag.setStatus(a.open() ? FlagStatus.ACTIVE : FlagStatus.INACTIVE);
    flag.addCategory()
        .addCoding()
        .setSystem(FLAG_CATEGORY)
        .setCode("TECHNICAL".equals(a.category()) ? "admin" : "clinical");
    flag.getCode().setText(text(a)).addCoding().setSystem(CAUSE_SYSTEM).setCode(a.cause());
    flag.setSubject(subject(a.patient()));
    Period period = new Period().setStartElement(dateTime(a.raisedAt()));
    if (a.resolvedAt() != null) {
      period.setEndElement(dateTime(a.resolvedAt()));
    }
    flag.setPeriod(period);
    return flag;
  }

  public static RiskAssessment riskAssessment(AlertSummary a, RiskDetails d) {
    RiskDetails s = d == null || d.windowEnd() == null ? null : d;
    RiskAssessment risk = new RiskAssessment();
    risk.setId(
        UUID.nameUUIDFromBytes((a.alertId() + "/risk").getBytes(StandardCharsets.UTF_8))
            .toString());
    // A re-scored window amends the assessment its earlier revision made.
    risk.setStatus(
        s != null && s.revision() != null && s.revision() > 0
            ? RiskAssessmentStatus.AMENDED
            : RiskAssessmentStatus.FINAL);
    risk.setSubject(subject(a.patient()));
    if (s != null) {
      risk.setOccurrence(dateTime(s.windowEnd()));
      risk.getMethod().setText("Vigil LSTM " + s.modelVersion() + " with NEWS2 (RCP 2017)");
      if (s.lstmRisk() != null) {
        risk.addPrediction()
            .setOutcome(new CodeableConcept().setText("Clinical deterioration"))
            .setProbability(new DecimalType(s.lstmRisk()));
      }
      risk.addNote(
          new Annotation()
              .setText(
                  "NEWS2 total "
                      + s.news2Total()
                      + (Boolean.TRUE.equals(s.news2Complete())
                          ? ""
                          : " (incomplete observation set)")
                      + lateText(s)));
    } else if (a.windowEnd() != null) {
      risk.setOccurrence(dateTime(a.windowEnd()));
    }
    risk.addBasis().setReference("urn:uuid:" + a.alertId());
    return risk;
  }

  /** Said of a score that rests on readings which arrived after its window had closed. */
  private static String lateText(RiskDetails s) {
    int revision = s.revision() == null ? 0 : s.revision();
    int late = s.lateReadings() == null ? 0 : s.lateReadings();
    if (revision == 0 && late == 0) {
      return "";
    }
    return "; revision "
        + revision
        + " of the window ending "
        + s.windowEnd()
        + ", scored with "
        + late
        + (late == 1 ? " late reading" : " late readings");
  }

  /** An instant as the API writes it everywhere (UTC, {@link Instant#toString()}). */
  private static DateTimeType dateTime(Instant instant) {
    return new DateTimeType(instant.toString());
  }

  private static Reference subject(String patientKey) {
    return new Reference()
        .setIdentifier(new Identifier().setSystem(PATIENT_KEY_SYSTEM).setValue(patientKey));
  }

  private static String priorityCode(String priority) {
    return switch (priority) {
      case "HIGH" -> "PH";
      case "MEDIUM" -> "PM";
      default -> "PL";
    };
  }

  private static String text(AlertSummary a) {
    return a.priority().charAt(0)
        + a.priority().substring(1).toLowerCase(Locale.ROOT)
        + " priority "
        + a.category().toLowerCase(Locale.ROOT)
        + " alert: "
        + a.cause().toLowerCase(Locale.ROOT).replace('_', ' ')
        + (a.lateData()
            ? " (based on late data: readings for the window ending "
                + a.lateWindowEnd()
                + " arrived after it had closed)"
            : "");
  }
}
