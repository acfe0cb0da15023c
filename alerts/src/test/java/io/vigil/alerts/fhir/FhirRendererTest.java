package io.vigil.alerts.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.alerts.view.AlertSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Checks the hand-written resources against FHIR R4's required elements (cardinality 1..1) and
 * value sets: Flag.status/code/subject, RiskAssessment.status/subject, Bundle.type, id syntax.
 */
class FhirRendererTest {
  private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
  private static final Pattern FHIR_DATETIME =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
  private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");

  private static AlertSummary alert(String status, Instant resolvedAt) {
    return new AlertSummary(
        "8f14e45f-ceea-367a-a714-f0f3a1b6d3c9",
        "clinic-a/p1",
        "NEWS2_HIGH",
        "CLINICAL",
        "HIGH",
        "ward-1",
        0,
        "care team",
        status,
        T,
        T.plusSeconds(2),
        null,
        null,
        null,
        resolvedAt,
        0.62,
        8,
        T,
        null,
        T,
        0,
        false,
        null,
        null,
        null,
        false,
        false,
        null,
        null,
        null);
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldRenderAValidR4FlagAndRiskAssessment() {
    Map<String, Object> bundle =
        FhirRenderer.bundle(alert("RAISED", null), Scores.score(T, 0.62, 8));
    assertEquals("Bundle", bundle.get("resourceType"));
    assertEquals("collection", bundle.get("type"));
    List<Map<String, Object>> entries = (List<Map<String, Object>>) bundle.get("entry");
    assertEquals(2, entries.size());
    for (Map<String, Object> e : entries) {
      assertTrue(((String) e.get("fullUrl")).startsWith("urn:uuid:"));
    }
    Map<String, Object> flag = (Map<String, Object>) entries.get(0).get("resource");
    assertEquals("Flag", flag.get("resourceType"));
    assertTrue(FHIR_ID.matcher((String) flag.get("id")).matches());
    assertTrue(Set.of("active", "inactive", "entered-in-error").contains(flag.get("status")));
    assertEquals("active", flag.get("status"));
    Map<String, Object> code = (Map<String, Object>) flag.get("code");
    assertNotNull(code);
    Map<String, Object> coding = ((List<Map<String, Object>>) code.get("coding")).get(0);
    assertEquals("NEWS2_HIGH", coding.get("code"));
    assertNotNull(coding.get("system"));
    assertSubjectIsOnlyThePatientKey((Map<String, Object>) flag.get("subject"));
    Map<String, Object> period = (Map<String, Object>) flag.get("period");
    assertTrue(FHIR_DATETIME.matcher((String) period.get("start")).matches());
    Map<String, Object> ext = ((List<Map<String, Object>>) flag.get("extension")).get(0);
    assertEquals("http://hl7.org/fhir/StructureDefinition/flag-priority", ext.get("url"));

    Map<String, Object> risk = (Map<String, Object>) entries.get(1).get("resource");
    assertEquals("RiskAssessment", risk.get("resourceType"));
    assertTrue(FHIR_ID.matcher((String) risk.get("id")).matches());
    assertTrue(
        Set.of(
                "registered",
                "preliminary",
                "final",
                "amended",
                "corrected",
                "cancelled",
                "entered-in-error",
                "unknown")
            .contains(risk.get("status")));
    assertSubjectIsOnlyThePatientKey((Map<String, Object>) risk.get("subject"));
    assertTrue(FHIR_DATETIME.matcher((String) risk.get("occurrenceDateTime")).matches());
    Map<String, Object> prediction = ((List<Map<String, Object>>) risk.get("prediction")).get(0);
    assertEquals(0.62, prediction.get("probabilityDecimal"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldMarkAResolvedAlertsFlagInactiveWithAnEnd() {
    Map<String, Object> flag = FhirRenderer.flag(alert("RESOLVED", T.plusSeconds(600)));
    assertEquals("inactive", flag.get("status"));
    assertEquals("2026-03-01T08:10:00Z", ((Map<String, Object>) flag.get("period")).get("end"));
  }

  private static void assertSubjectIsOnlyThePatientKey(Map<String, Object> subject) {
    assertEquals(Set.of("identifier"), subject.keySet());
    assertEquals(
        Map.of("system", FhirRenderer.PATIENT_KEY_SYSTEM, "value", "clinic-a/p1"),
        subject.get("identifier"));
    assertFalse(subject.toString().contains("name"));
  }
}
