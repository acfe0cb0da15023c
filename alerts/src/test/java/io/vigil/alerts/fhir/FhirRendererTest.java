package io.vigil.alerts.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import io.vigil.alerts.Scores;
import io.vigil.alerts.view.AlertSummary;
import io.vigil.schemas.risk.RiskScore;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Flag.FlagStatus;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.hl7.fhir.r4.model.RiskAssessment.RiskAssessmentStatus;
import org.junit.jupiter.api.Test;

/**
 * The resources as a client reads them: written by {@link FhirJson}, parsed back by HAPI's R4
 * structures with the strict error handler (an unknown element, a wrong type or a code outside its
 * required value set fails), then checked against FHIR R4's required elements (cardinality 1..1)
 * and value sets: Flag.status/code/subject, RiskAssessment.status/subject, Bundle.type, id syntax.
 */
class FhirRendererTest {
  private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
  private static final Pattern FHIR_DATETIME =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");
  private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");
  private static final FhirJson FHIR = new FhirJson();

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
  void shouldRenderAValidR4FlagAndRiskAssessment() {
    Bundle bundle =
        written(Bundle.class, FhirRenderer.bundle(alert("RAISED", null), Scores.score(T, 0.62, 8)));
    assertEquals(BundleType.COLLECTION, bundle.getType());
    List<BundleEntryComponent> entries = bundle.getEntry();
    assertEquals(2, entries.size());
    for (BundleEntryComponent e : entries) {
      assertTrue(e.getFullUrl().startsWith("urn:uuid:"), e.getFullUrl());
    }
    Flag flag = assertInstanceOf(Flag.class, entries.get(0).getResource());
    assertTrue(FHIR_ID.matcher(flag.getIdPart()).matches(), flag.getIdPart());
    assertEquals(FlagStatus.ACTIVE, flag.getStatus());
    Coding coding = flag.getCode().getCodingFirstRep();
    assertEquals("NEWS2_HIGH", coding.getCode());
    assertTrue(coding.hasSystem());
    assertSubjectIsOnlyThePatientKey(flag.getSubject());
    String start = flag.getPeriod().getStartElement().getValueAsString();
    assertTrue(FHIR_DATETIME.matcher(start).matches(), start);
    assertEquals(
        "http://hl7.org/fhir/StructureDefinition/flag-priority",
        flag.getExtension().get(0).getUrl());

    RiskAssessment risk = assertInstanceOf(RiskAssessment.class, entries.get(1).getResource());
    assertTrue(FHIR_ID.matcher(risk.getIdPart()).matches(), risk.getIdPart());
    assertEquals(RiskAssessmentStatus.FINAL, risk.getStatus());
    assertSubjectIsOnlyThePatientKey(risk.getSubject());
    String occurrence = risk.getOccurrenceDateTimeType().getValueAsString();
    assertTrue(FHIR_DATETIME.matcher(occurrence).matches(), occurrence);
    assertEquals(
        0.62,
        risk.getPredictionFirstRep().getProbabilityDecimalType().getValueAsNumber().doubleValue());
  }

  @Test
  void shouldMarkAResolvedAlertsFlagInactiveWithAnEnd() {
    Flag flag = written(Flag.class, FhirRenderer.flag(alert("RESOLVED", T.plusSeconds(600))));
    assertEquals(FlagStatus.INACTIVE, flag.getStatus());
    assertEquals("2026-03-01T08:10:00Z", flag.getPeriod().getEndElement().getValueAsString());
  }

  @Test
  void shouldAmendTheRiskAssessmentOfARescoredWindowAndSaySoInItsNote() {
    RiskScore first = Scores.score(T, 0.62, 5);
    RiskScore rescored = Scores.late(Scores.score(T, 0.71, 8), 1, 2, first);
    Bundle bundle = written(Bundle.class, FhirRenderer.bundle(alert("RAISED", null), rescored));
    RiskAssessment risk =
        assertInstanceOf(RiskAssessment.class, bundle.getEntry().get(1).getResource());
    assertEquals(RiskAssessmentStatus.AMENDED, risk.getStatus());
    assertEquals(
        "NEWS2 total 8 (incomplete observation set); revision 1 of the window ending "
            + T
            + ", scored with 2 late readings",
        risk.getNoteFirstRep().getText());
  }

  @Test
  void shouldDateTheRiskAssessmentByTheAlertsWindowWhenNoScoreIsKnown() {
    RiskAssessment risk =
        written(RiskAssessment.class, FhirRenderer.riskAssessment(alert("RAISED", null), null));
    assertEquals(RiskAssessmentStatus.FINAL, risk.getStatus());
    assertEquals(T.toString(), risk.getOccurrenceDateTimeType().getValueAsString());
    assertFalse(risk.hasPrediction(), "no probability without a score");
    assertFalse(risk.hasNote());
  }

  /** The resource as a client gets it: written to JSON, then parsed strictly. */
  private static <T extends IBaseResource> T written(Class<T> type, IBaseResource resource) {
    return strictParser().parseResource(type, FHIR.write(resource));
  }

  private static IParser strictParser() {
    return FhirContext.forR4Cached()
        .newJsonParser()
        .setParserErrorHandler(new StrictErrorHandler())
        // Each entry's resource keeps the id it was written with, not its fullUrl.
        .setOverrideResourceIdWithBundleEntryFullUrl(false);
  }

  private static void assertSubjectIsOnlyThePatientKey(Reference subject) {
    assertEquals(
        "{\"identifier\":{\"system\":\""
            + FhirRenderer.PATIENT_KEY_SYSTEM
            + "\",\"value\":\"clinic-a/p1\"}}",
        strictParser().encodeToString(subject));
  }
}
