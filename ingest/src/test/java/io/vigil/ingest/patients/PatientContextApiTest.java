package io.vigil.ingest.patients;

import static io.vigil.ingest.Json.batch;
import static io.vigil.ingest.Json.reading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.ingest.IngestServer;
import io.vigil.ingest.Json;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.Consciousness;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.patients.Sex;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatientContextApiTest {
  private TestKafka kafka;
  private IngestServer ingest;
  private String tenantA;
  private String tenantB;
  private String tokenA;
  private String tokenB;

  @BeforeAll
  void start(TestKafka kafka) {
    this.kafka = kafka;
    ingest = IngestServer.start(kafka);
    tenantA = TestKafka.unique("hospital-a");
    tenantB = TestKafka.unique("hospital-b");
    tokenA = ingest.addKey("platform-a", tenantA);
    tokenB = ingest.addKey("platform-b", tenantB);
  }

  @AfterAll
  void stop() {
    ingest.close();
  }

  private HttpResponse<String> put(String token, String patient, String body) {
    return ingest.send("PUT", "/v1/patients/" + patient, token, "application/json", body);
  }

  @Test
  void shouldWritePatientContextToTheCompactedTopicUnderTheSourcesTenant() {
    String patient = TestKafka.unique("p");
    Instant assessed = Instant.parse("2026-11-20T08:30:00Z");
    HttpResponse<String> response =
        put(
            tokenA,
            patient,
            "{\"careTeams\":[\"ward-7\",\"night-team\"],\"age\":71,\"sex\":\"female\","
                + "\"oxygenTherapy\":true,\"spo2Scale2\":true,\"consciousness\":\"confusion\","
                + "\"consciousnessTime\":\""
                + assessed
                + "\",\"monitoringStart\":\"2026-11-19T00:00:00Z\"}");
    assertEquals(200, response.statusCode(), response.body());

    List<ConsumerRecord<PatientKey, PatientContext>> records =
        kafka.consume(
            Topics.PATIENTS_CONTEXT,
            1,
            Duration.ofSeconds(20),
            r -> r.key().getPatientId().equals(patient));
    assertEquals(1, records.size());
    assertEquals(tenantA, records.get(0).key().getTenant());
    PatientContext context = records.get(0).value();
    assertEquals(List.of("ward-7", "night-team"), context.getCareTeams());
    assertEquals(71, context.getAge());
    assertEquals(Sex.FEMALE, context.getSex());
    assertTrue(context.getOxygenTherapy());
    assertTrue(context.getSpo2Scale2());
    assertEquals(Consciousness.CONFUSION, context.getConsciousness());
    assertEquals(assessed, context.getConsciousnessTime());
    assertEquals(Instant.parse("2026-11-19T00:00:00Z"), context.getMonitoringStart());
  }

  @Test
  void shouldDefaultToAirScaleOneAndNoAssessment() {
    String patient = TestKafka.unique("p");
    assertEquals(200, put(tokenA, patient, "{\"careTeams\":[\"ward-7\"]}").statusCode());
    PatientContext context =
        kafka
            .consume(
                Topics.PATIENTS_CONTEXT,
                1,
                Duration.ofSeconds(20),
                r -> r.key().getPatientId().equals(patient))
            .get(0)
            .value();
    assertFalse(context.getOxygenTherapy());
    assertFalse(context.getSpo2Scale2());
    assertNull(context.getConsciousness());
    assertNull(context.getAge());
  }

  @Test
  void shouldReportEveryInvalidFieldAtOnce() {
    HttpResponse<String> response =
        put(
            tokenA,
            TestKafka.unique("p"),
            "{\"careTeams\":[],\"age\":-1,\"sex\":\"robot\",\"oxygenTherapy\":\"yes\","
                + "\"consciousness\":\"asleep\",\"monitoringStart\":\"2999-01-01T00:00:00Z\","
                + "\"tenant\":\"other\"}");
    assertEquals(422, response.statusCode());
    JsonNode problem = Json.parse(response.body());
    assertEquals("urn:vigil:problem:invalid-patient-context", problem.get("type").asText());
    JsonNode errors = problem.get("errors");
    for (String field :
        List.of(
            "careTeams",
            "age",
            "sex",
            "oxygenTherapy",
            "consciousness",
            "monitoringStart",
            "tenant")) {
      assertTrue(errors.has(field), field + " should be reported: " + errors);
    }
  }

  @Test
  void shouldRequireTheAssessmentTimeWithAConsciousnessLevel() {
    HttpResponse<String> response =
        put(tokenA, TestKafka.unique("p"), "{\"careTeams\":[\"w\"],\"consciousness\":\"voice\"}");
    assertEquals(422, response.statusCode());
    assertTrue(Json.parse(response.body()).get("errors").has("consciousnessTime"));
  }

  @Test
  void shouldKeepTenantsApartForTheSamePatientId() {
    String patient = TestKafka.unique("shared-id");
    Instant now = Instant.now();
    assertEquals(
        200,
        ingest
            .postJson(
                "/v1/observations",
                tokenA,
                batch(reading("r1", patient, "heart_rate", 80, "/min", now)))
            .statusCode());
    HttpResponse<String> fromB =
        ingest.postJson(
            "/v1/observations",
            tokenB,
            batch(reading("r1", patient, "heart_rate", 120, "/min", now)));
    assertEquals(200, fromB.statusCode());
    HttpResponse<String> contextFromB = put(tokenB, patient, "{\"careTeams\":[\"b-team\"]}");
    assertEquals(200, contextFromB.statusCode());
    HttpResponse<String> contextForNewPatient =
        put(tokenB, TestKafka.unique("never-seen"), "{\"careTeams\":[\"b-team\"]}");
    assertEquals(
        Json.parse(contextFromB.body()).fieldNames().next(),
        Json.parse(contextForNewPatient.body()).fieldNames().next(),
        "the answer has the same shape whether or not the patient exists anywhere");

    List<ConsumerRecord<PatientKey, VitalObservation>> records =
        kafka.consume(
            Topics.VITALS_OBSERVATIONS,
            2,
            Duration.ofSeconds(20),
            r -> r.key().getPatientId().equals(patient));
    assertEquals(2, records.size());
    for (ConsumerRecord<PatientKey, VitalObservation> r : records) {
      if (r.value().getSourceId().equals("platform-a")) {
        assertEquals(tenantA, r.key().getTenant());
        assertEquals(80.0, r.value().getValue());
      } else {
        assertEquals(tenantB, r.key().getTenant());
        assertEquals(120.0, r.value().getValue());
      }
    }
    List<ConsumerRecord<PatientKey, PatientContext>> contexts =
        kafka.consume(
            Topics.PATIENTS_CONTEXT,
            2,
            Duration.ofSeconds(5),
            r -> r.key().getPatientId().equals(patient));
    assertEquals(1, contexts.size(), "B's context write never lands under A's tenant");
    assertEquals(tenantB, contexts.get(0).key().getTenant());
  }

  @Test
  void shouldRejectAPatientIdWithASlash() {
    HttpResponse<String> response =
        ingest.postJson(
            "/v1/observations",
            tokenA,
            batch(reading("s1", tenantB + "/p1", "heart_rate", 80, "/min", Instant.now())));
    assertEquals(422, response.statusCode());
    assertEquals(
        "invalid_id", Json.parse(response.body()).get("rejected").get(0).get("reason").asText());
  }

  @Test
  void shouldRefuseAContextForAPatientIdThatBreaksTheRules() {
    HttpResponse<String> tooLong = put(tokenA, "p".repeat(129), "{\"careTeams\":[\"w\"]}");
    assertEquals(400, tooLong.statusCode(), tooLong.body());
    JsonNode problem = Json.parse(tooLong.body());
    assertEquals("urn:vigil:problem:invalid-id", problem.get("type").asText());
    assertEquals("patientId", problem.get("field").asText());
    assertTrue(
        problem.get("detail").asText().contains("129 characters long; at most 128"),
        problem.toString());

    HttpResponse<String> space = put(tokenA, "bed%207", "{\"careTeams\":[\"w\"]}");
    assertEquals(400, space.statusCode(), space.body());
    assertTrue(Json.parse(space.body()).get("detail").asText().contains("white space"));

    String longest = TestKafka.unique("p") + ":" + "x".repeat(117);
    assertEquals(128, longest.length());
    assertEquals(200, put(tokenA, longest, "{\"careTeams\":[\"w\"]}").statusCode());
  }
}
