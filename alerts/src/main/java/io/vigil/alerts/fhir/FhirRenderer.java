package io.vigil.alerts.fhir;

import io.vigil.alerts.api.RiskDetails;
import io.vigil.alerts.view.AlertSummary;
import io.vigil.schemas.risk.RiskScore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * An alert as FHIR R4 resources: a {@code Flag} (the alert, active until resolved) and a {@code
 * RiskAssessment} (the evidence), in a {@code collection} Bundle. The patient appears only as an
 * identifier holding the patient key. An alert resting on late data says so in the Flag's text, and
 * a re-scored window in the RiskAssessment's note, each with the window's own end.
 */
public final class FhirRenderer {
  public static final String PATIENT_KEY_SYSTEM = "urn:vigil:patient-key";
  public static final String CAUSE_SYSTEM = "https://vigil.io/fhir/CodeSystem/alert-cause";
  static final String FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category";
  static final String FLAG_PRIORITY_EXT = "http://hl7.org/fhir/StructureDefinition/flag-priority";
  static final String FLAG_PRIORITY_CODES = "http://hl7.org/fhir/flag-priority-code";

  private FhirRenderer() {}

  public static Map<String, Object> bundle(AlertSummary alert, RiskScore latest) {
    return bundle(alert, latest == null ? null : RiskDetails.of(List.of(latest)));
  }

  /** The bundle with the newest window's evidence as the alert card shows it (none: no score). */
  public static Map<String, Object> bundle(AlertSummary alert, RiskDetails latest) {
    Map<String, Object> flag = flag(alert);
    Map<String, Object> risk = riskAssessment(alert, latest);
    List<Object> entries = new ArrayList<>();
    entries.add(Map.of("fullUrl", "urn:uuid:" + flag.get("id"), "resource", flag));
    entries.add(Map.of("fullUrl", "urn:uuid:" + risk.get("id"), "resource", risk));
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("resourceType", "Bundle");
    b.put("type", "collection");
    b.put("entry", entries);
    return b;
  }

  public static Map<String, Object> flag(AlertSummary a) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("resourceType", "Flag");
    f.put("id", a.alertId());
    f.put(
        "extension",
        List.of(
            Map.of(
                "url",
                FLAG_PRIORITY_EXT,
                "valueCodeableConcept",
                Map.of(
                    "coding",
                    List.of(
                        Map.of(
                            "system",
                            FLAG_PRIORITY_CODES,
                            "code",
                            priorityCode(a.priority()),
                            "display",
                            a.priority() + " priority"))))));
    f.put("status", a.open() ? "active" : "inactive");
    f.put(
        "category",
        List.of(
            Map.of(
                "coding",
                List.of(
                    Map.of(
                        "system",
                        FLAG_CATEGORY,
                        "code",
                        "TECHNICAL".equals(a.category()) ? "admin" : "clinical")))));
    f.put(
        "code",
        Map.of(
            "coding", List.of(Map.of("system", CAUSE_SYSTEM, "code", a.cause())),
            "text", text(a)));
    f.put("subject", subject(a.patient()));
    Map<String, Object> period = new LinkedHashMap<>();
    period.put("start", a.raisedAt().toString());
    if (a.resolvedAt() != null) {
      period.put("end", a.resolvedAt().toString());
    }
    f.put("period", period);
    return f;
  }

  public static Map<String, Object> riskAssessment(AlertSummary a, RiskDetails d) {
    RiskDetails s = d == null || d.windowEnd() == null ? null : d;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("resourceType", "RiskAssessment");
    r.put(
        "id",
        UUID.nameUUIDFromBytes((a.alertId() + "/risk").getBytes(StandardCharsets.UTF_8))
            .toString());
    // A re-scored window amends the assessment its earlier revision made.
    r.put("status", s != null && s.revision() != null && s.revision() > 0 ? "amended" : "final");
    r.put("subject", subject(a.patient()));
    if (s != null) {
      r.put("occurrenceDateTime", s.windowEnd().toString());
      r.put("method", Map.of("text", "Vigil LSTM " + s.modelVersion() + " with NEWS2 (RCP 2017)"));
      List<Object> predictions = new ArrayList<>();
      if (s.lstmRisk() != null) {
        predictions.add(
            Map.of(
                "outcome", Map.of("text", "Clinical deterioration"),
                "probabilityDecimal", s.lstmRisk()));
      }
      if (!predictions.isEmpty()) {
        r.put("prediction", predictions);
      }
      r.put(
          "note",
          List.of(
              Map.of(
                  "text",
                  "NEWS2 total "
                      + s.news2Total()
                      + (Boolean.TRUE.equals(s.news2Complete())
                          ? ""
                          : " (incomplete observation set)")
                      + lateText(s))));
    } else if (a.windowEnd() != null) {
      r.put("occurrenceDateTime", a.windowEnd().toString());
    }
    r.put("basis", List.of(Map.of("reference", "urn:uuid:" + a.alertId())));
    return r;
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

  private static Map<String, Object> subject(String patientKey) {
    return Map.of("identifier", Map.of("system", PATIENT_KEY_SYSTEM, "value", patientKey));
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
