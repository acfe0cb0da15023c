package io.vigil.ingest.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import io.vigil.ingest.IngestServer;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.common.VitalType;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** FHIR R4 fixtures (vital-signs profiles) through real HTTP to the topic and back. */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FhirApiTest {
  private static final FhirContext R4 = FhirContext.forR4Cached();
  private TestKafka kafka;
  private IngestServer ingest;
  private String tenant;
  private String token;

  @BeforeAll
  void start(TestKafka kafka) {
    this.kafka = kafka;
    // The fixtures carry fixed 2024 times: accept readings of any age for this class.
    ingest = IngestServer.start(kafka, Map.of("vigil.ingest.max-age", "36500d"));
    tenant = TestKafka.unique("fhir-clinic");
    token = ingest.addKey("fhir-platform", tenant);
  }

  @AfterAll
  void stop() {
    ingest.close();
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = FhirApiTest.class.getResourceAsStream("/fhir/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private HttpResponse<String> post(String path, String body) {
    return ingest.post(path, token, "application/fhir+json", body);
  }

  private Map<String, VitalObservation> written(String patient, int count) {
    return written(patient, count, Duration.ofSeconds(20));
  }

  /** What is on the topic for a patient; acknowledged before the answer, so a short wait does. */
  private Map<String, VitalObservation> written(String patient, int count, Duration wait) {
    List<ConsumerRecord<PatientKey, VitalObservation>> records =
        kafka.consume(
            Topics.VITALS_OBSERVATIONS,
            count,
            wait,
            r -> r.key().getTenant().equals(tenant) && r.key().getPatientId().equals(patient));
    return records.stream()
        .map(ConsumerRecord::value)
        .collect(
            Collectors.toMap(VitalObservation::getReadingId, Function.identity(), (a, b) -> b));
  }

  @Test
  void shouldAcceptTheVitalSignsFixturesAndEchoThemBack() throws IOException {
    for (String name :
        List.of(
            "heart-rate.json",
            "body-temperature-fahrenheit.json",
            "blood-pressure-panel.json",
            "oxygen-saturation.json")) {
      String sent = fixture(name);
      HttpResponse<String> response = post("/fhir/r4/Observation", sent);
      assertEquals(201, response.statusCode(), name + ": " + response.body());
      assertEquals("application/fhir+json", response.headers().firstValue("Content-Type").get());
      Observation echoed = R4.newJsonParser().parseResource(Observation.class, response.body());
      Observation original = R4.newJsonParser().parseResource(Observation.class, sent);
      assertTrue(original.equalsDeep(echoed), name + " round-trips unchanged");
    }

    Map<String, VitalObservation> byId = written("ward7-bed3", 5);
    assertEquals(5, byId.size(), byId.keySet().toString());
    VitalObservation hr = byId.get("hr-0417");
    assertEquals(92.0, hr.getValue());
    assertEquals("8867-4", hr.getLoinc());
    assertEquals("wristband-88", hr.getDeviceId());
    assertEquals(Instant.parse("2024-06-03T05:15:00Z"), hr.getTime(), "offset +02:00 honoured");
    VitalObservation temp = byId.get("temp-0417");
    assertEquals(38.5, temp.getValue(), 1e-9, "101.3 [degF] is 38.5 Cel");
    assertEquals("[degF]", temp.getOriginalUnit());
    VitalObservation systolic = byId.get("bp-0417:8480-6");
    assertEquals(VitalType.SYSTOLIC_BP, systolic.getVital());
    assertEquals(96.0, systolic.getValue());
    VitalObservation diastolic = byId.get("bp-0417:8462-4");
    assertEquals(VitalType.DIASTOLIC_BP, diastolic.getVital());
    assertEquals(57.0, diastolic.getValue(), 0.01, "7.6 kPa is 57 mm[Hg]");
    VitalObservation spo2 = byId.get("spo2-0417");
    assertEquals(91.0, spo2.getValue(), 1e-9, "fraction 0.91 is 91 %");
    assertEquals("2708-6", spo2.getLoinc());
  }

  @Test
  void shouldAnswerABatchEntryByEntryAndWriteOnlyTheValidOnes() throws IOException {
    HttpResponse<String> response = post("/fhir/r4", fixture("bundle-batch.json"));
    assertEquals(200, response.statusCode(), response.body());
    Bundle result = R4.newJsonParser().parseResource(Bundle.class, response.body());
    assertEquals(Bundle.BundleType.BATCHRESPONSE, result.getType());
    assertEquals(4, result.getEntry().size());
    assertEquals("201 Created", result.getEntry().get(0).getResponse().getStatus());
    assertEquals("422 Unprocessable Entity", result.getEntry().get(1).getResponse().getStatus());
    OperationOutcome tooHigh =
        (OperationOutcome) result.getEntry().get(1).getResponse().getOutcome();
    assertEquals(
        "out_of_range", tooHigh.getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
    assertEquals(OperationOutcome.IssueType.VALUE, tooHigh.getIssueFirstRep().getCode());
    OperationOutcome weight =
        (OperationOutcome) result.getEntry().get(2).getResponse().getOutcome();
    assertEquals(
        "unknown_code", weight.getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
    assertTrue(weight.getIssueFirstRep().getDiagnostics().contains("29463-7"));
    assertEquals("201 Created", result.getEntry().get(3).getResponse().getStatus());

    Map<String, VitalObservation> byId = written("ward7-bed5", 3, Duration.ofSeconds(4));
    assertEquals(List.of("map-0501", "rr-0501"), byId.keySet().stream().sorted().toList());
    assertEquals(26.0, byId.get("rr-0501").getValue());
  }

  @Test
  void shouldWriteNothingOfATransactionWithAnInvalidEntry() throws IOException {
    HttpResponse<String> response = post("/fhir/r4", fixture("bundle-transaction-invalid.json"));
    assertEquals(400, response.statusCode(), response.body());
    OperationOutcome outcome =
        R4.newJsonParser().parseResource(OperationOutcome.class, response.body());
    assertEquals(2, outcome.getIssue().size(), "the heart rate and the body weight");
    assertTrue(outcome.getIssueFirstRep().getDiagnostics().startsWith("transaction rejected"));
    assertTrue(
        written("ward7-bed6", 1, Duration.ofSeconds(4)).isEmpty(),
        "nothing of the transaction was written");

    HttpResponse<String> valid = post("/fhir/r4", fixture("bundle-transaction.json"));
    assertEquals(200, valid.statusCode(), valid.body());
    Bundle result = R4.newJsonParser().parseResource(Bundle.class, valid.body());
    assertEquals(Bundle.BundleType.TRANSACTIONRESPONSE, result.getType());
    assertEquals(2, written("ward7-bed6", 2).size());
  }

  @Test
  void shouldRejectObservationsThatAreNotUsableMeasurements() throws IOException {
    Observation base =
        R4.newJsonParser().parseResource(Observation.class, fixture("heart-rate.json"));
    Map<String, Function<Observation, Observation>> broken =
        Map.of(
            "Observation.subject",
            o -> o.setSubject(new org.hl7.fhir.r4.model.Reference("Group/7")),
            "Observation.status",
            o -> o.setStatus(Observation.ObservationStatus.ENTEREDINERROR),
            "Observation.effective[x]",
            o -> o.setEffective(new org.hl7.fhir.r4.model.DateTimeType("2024-06-03")),
            "Observation.valueQuantity.code",
            o ->
                o.setValue(
                    new Quantity()
                        .setValue(92)
                        .setSystem(FhirObservationMapper.UCUM)
                        .setCode("kg")),
            "Observation.id",
            o -> {
              o.setIdElement(null);
              return o;
            });
    for (Map.Entry<String, Function<Observation, Observation>> e : broken.entrySet()) {
      Observation o = e.getValue().apply(base.copy());
      if (e.getKey().equals("Observation.valueQuantity.code")) {
        o.setId("hr-bad-unit");
      }
      HttpResponse<String> response =
          post("/fhir/r4/Observation", R4.newJsonParser().encodeResourceToString(o));
      assertEquals(422, response.statusCode(), e.getKey() + ": " + response.body());
      OperationOutcome outcome =
          R4.newJsonParser().parseResource(OperationOutcome.class, response.body());
      String expression = outcome.getIssueFirstRep().getExpression().get(0).getValue();
      String expected =
          e.getKey().equals("Observation.valueQuantity.code") ? "Observation.unit" : e.getKey();
      assertEquals(expected, expression, outcome.getIssueFirstRep().getDiagnostics());
    }
  }

  @Test
  void shouldRejectAVeryLongSubjectReferenceAndStillWriteTheGoodEntriesOfTheBundle()
      throws IOException {
    String patient = TestKafka.unique("bed");
    Observation base =
        R4.newJsonParser().parseResource(Observation.class, fixture("heart-rate.json"));
    base.setSubject(new Reference("Patient/" + patient));
    Observation good = base.copy();
    good.setId("hr-good");
    Observation longSubject = base.copy();
    longSubject.setId("hr-long-subject");
    longSubject.setSubject(new Reference("Patient/" + "x".repeat(10_000)));
    Observation longId = base.copy();
    longId.setId("i".repeat(129));
    Observation badDevice = base.copy();
    badDevice.setId("hr-bad-device");
    badDevice.setDevice(new Reference("Device/watch 7"));
    Observation goodToo = base.copy();
    goodToo.setId("hr-good-too");
    goodToo.setValue(
        new Quantity().setValue(88).setSystem(FhirObservationMapper.UCUM).setCode("/min"));
    Bundle bundle = new Bundle().setType(Bundle.BundleType.BATCH);
    for (Observation o : List.of(good, longSubject, longId, badDevice, goodToo)) {
      bundle.addEntry().setResource(o).getRequest().setMethod(Bundle.HTTPVerb.POST);
    }

    HttpResponse<String> response =
        post("/fhir/r4", R4.newJsonParser().encodeResourceToString(bundle));

    assertEquals(200, response.statusCode(), response.body());
    Bundle result = R4.newJsonParser().parseResource(Bundle.class, response.body());
    List<String> statuses =
        result.getEntry().stream().map(e -> e.getResponse().getStatus()).toList();
    assertEquals(
        List.of(
            "201 Created",
            "422 Unprocessable Entity",
            "422 Unprocessable Entity",
            "422 Unprocessable Entity",
            "201 Created"),
        statuses);
    Map<Integer, String> expressions =
        Map.of(1, "Observation.subject", 2, "Observation.id", 3, "Observation.device");
    for (Map.Entry<Integer, String> e : expressions.entrySet()) {
      OperationOutcome outcome =
          (OperationOutcome) result.getEntry().get(e.getKey()).getResponse().getOutcome();
      var issue = outcome.getIssueFirstRep();
      assertEquals("invalid_id", issue.getDetails().getCodingFirstRep().getCode());
      assertEquals(e.getValue(), issue.getExpression().get(0).getValue());
    }
    String subjectDetail =
        ((OperationOutcome) result.getEntry().get(1).getResponse().getOutcome())
            .getIssueFirstRep()
            .getDiagnostics();
    assertTrue(
        subjectDetail.contains("10000 characters long; at most 128 are allowed"), subjectDetail);
    assertTrue(subjectDetail.length() < 300, "the reference is not echoed whole");
    String deviceDetail =
        ((OperationOutcome) result.getEntry().get(3).getResponse().getOutcome())
            .getIssueFirstRep()
            .getDiagnostics();
    assertTrue(deviceDetail.contains("white space (U+0020) at position 6"), deviceDetail);

    Map<String, VitalObservation> byId = written(patient, 3, Duration.ofSeconds(4));
    assertEquals(List.of("hr-good", "hr-good-too"), byId.keySet().stream().sorted().toList());
    List<ConsumerRecord<PatientKey, VitalObservation>> longKeys =
        kafka.consume(
            Topics.VITALS_OBSERVATIONS,
            1,
            Duration.ofSeconds(2),
            r -> r.key().getPatientId().length() > 128);
    assertEquals(List.of(), longKeys, "no over-long patient id reaches the topic");

    HttpResponse<String> single =
        post("/fhir/r4/Observation", R4.newJsonParser().encodeResourceToString(longSubject));
    assertEquals(422, single.statusCode(), single.body());
    OperationOutcome outcome =
        R4.newJsonParser().parseResource(OperationOutcome.class, single.body());
    assertEquals(
        "invalid_id", outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode());
    assertEquals(
        "Observation.subject", outcome.getIssueFirstRep().getExpression().get(0).getValue());
  }

  @Test
  void shouldAnswerStructuralErrorsAndAuthenticationWithOperationOutcomes() {
    HttpResponse<String> unknownElement =
        post(
            "/fhir/r4/Observation",
            "{\"resourceType\":\"Observation\",\"status\":\"final\",\"colour\":\"red\"}");
    assertEquals(400, unknownElement.statusCode());
    OperationOutcome outcome =
        R4.newJsonParser().parseResource(OperationOutcome.class, unknownElement.body());
    assertEquals(
        "invalid-fhir-resource",
        outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode());

    HttpResponse<String> syntax = post("/fhir/r4/Observation", "{\"resourceType\": ");
    assertEquals(400, syntax.statusCode());
    assertEquals(
        "malformed-json",
        R4.newJsonParser()
            .parseResource(OperationOutcome.class, syntax.body())
            .getIssueFirstRep()
            .getDetails()
            .getCodingFirstRep()
            .getCode());

    HttpResponse<String> noKey =
        ingest.post("/fhir/r4/Observation", null, "application/fhir+json", "{}");
    assertEquals(401, noKey.statusCode());
    assertEquals(
        OperationOutcome.IssueType.LOGIN,
        R4.newJsonParser()
            .parseResource(OperationOutcome.class, noKey.body())
            .getIssueFirstRep()
            .getCode());

    HttpResponse<String> xml =
        ingest.post("/fhir/r4/Observation", token, "application/fhir+xml", "<Observation/>");
    assertEquals(415, xml.statusCode());

    HttpResponse<String> collection =
        post("/fhir/r4", "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}");
    assertEquals(400, collection.statusCode());
    assertTrue(collection.body().contains("batch or transaction"));
  }
}
