package io.vigil.ingest.patients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.ingest.IngestServer;
import io.vigil.ingest.Json;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.Consciousness;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.patients.Sex;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code POST /v1/patients} and FHIR Bundles of Patients against a real broker. */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatientBulkApiTest {
  private static final String FHIR = "application/fhir+json";

  private TestKafka kafka;
  private IngestServer ingest;
  private String tenant;
  private String token;

  @BeforeAll
  void start(TestKafka kafka) {
    this.kafka = kafka;
    // Thousands of records in one request: room for a loaded build machine's broker.
    ingest = IngestServer.start(kafka, Map.of("vigil.ingest.kafka-timeout", "20s"));
    tenant = TestKafka.unique("platform");
    token = ingest.addKey("platform-bulk", tenant);
  }

  @AfterAll
  void stop() {
    ingest.close();
  }

  private static ObjectNode patient(String id, String team) {
    ObjectNode p = Json.MAPPER.createObjectNode();
    p.put("patientId", id);
    p.putArray("careTeams").add(team);
    return p;
  }

  private Map<String, PatientContext> contexts(Set<String> patients) {
    return contexts(patients, Duration.ofSeconds(30));
  }

  private Map<String, PatientContext> contexts(Set<String> patients, Duration timeout) {
    Map<String, PatientContext> byPatient = new HashMap<>();
    for (ConsumerRecord<PatientKey, PatientContext> r :
        kafka.consume(
            Topics.PATIENTS_CONTEXT,
            patients.size(),
            timeout,
            r -> r.key().getTenant().equals(tenant) && patients.contains(r.key().getPatientId()))) {
      byPatient.put(r.key().getPatientId(), r.value());
    }
    return byPatient;
  }

  @Test
  void shouldRegisterThousandsOfPatientsInOneRequestAndAnswerEachBadItemWithItsReason() {
    String prefix = TestKafka.unique("bulk");
    ObjectNode doc = Json.MAPPER.createObjectNode();
    ArrayNode items = doc.putArray("patients");
    Set<String> good = new HashSet<>();
    for (int i = 0; i < 3000; i++) {
      String id = prefix + "-" + i;
      ObjectNode p = patient(id, "ward-" + (i % 7));
      p.put("age", 20 + i % 80);
      items.add(p);
      good.add(id);
    }
    items.insert(10, patient("bad id with spaces", "ward-1")); // 10
    items.insert(20, patient(prefix + "-5", "ward-2")); // 20: repeats index 5
    ObjectNode otherTenant = patient(prefix + "-x", "ward-1");
    otherTenant.put("tenant", "someone-else");
    items.insert(30, otherTenant); // 30
    ObjectNode noTeam = Json.MAPPER.createObjectNode().put("patientId", prefix + "-y");
    noTeam.put("age", 300);
    items.insert(40, noTeam); // 40
    items.insert(50, Json.MAPPER.getNodeFactory().textNode("not a patient")); // 50

    HttpResponse<String> response = ingest.postJson("/v1/patients", token, doc.toString());

    assertEquals(200, response.statusCode(), response.body());
    JsonNode body = Json.parse(response.body());
    assertEquals(3000, body.get("accepted").asInt());
    assertEquals(5, body.get("rejected").asInt());
    JsonNode results = body.get("results");
    assertEquals(3005, results.size());
    assertEquals("accepted", results.get(0).get("status").asText());
    assertEquals(prefix + "-0", results.get(0).get("patientId").asText());
    assertReason(results.get(10), "patientId", "invalid_id");
    assertFalse(results.get(10).has("patientId"), "an id that breaks the rules is not echoed");
    assertReason(results.get(20), "patientId", "duplicate_id");
    assertReason(results.get(30), "tenant", "invalid_field");
    assertReason(results.get(40), "careTeams", "missing_field");
    assertReason(results.get(40), "age", "invalid_field");
    assertReason(results.get(50), null, "invalid_field");

    // The answer came after Kafka acknowledged: every accepted context is already on the topic,
    // under the key's tenant, and the repeated patient keeps its first context.
    Map<String, PatientContext> written = contexts(good);
    assertEquals(good, written.keySet());
    assertEquals(List.of("ward-5"), written.get(prefix + "-5").getCareTeams());
    assertEquals(20 + 7, written.get(prefix + "-7").getAge());
    assertTrue(
        kafka
            .consume(
                Topics.PATIENTS_CONTEXT,
                1,
                Duration.ofSeconds(2),
                r -> r.key().getPatientId().equals(prefix + "-x"))
            .isEmpty(),
        "an item naming another tenant is not written anywhere");
  }

  private static void assertReason(JsonNode result, String field, String reason) {
    assertEquals("rejected", result.get("status").asText(), result.toString());
    for (JsonNode error : result.get("errors")) {
      if (reason.equals(error.get("reason").asText())
          && (field == null
              ? !error.has("field") || error.get("field").isNull()
              : field.equals(error.path("field").asText()))) {
        assertFalse(error.get("detail").asText().isBlank());
        return;
      }
    }
    throw new AssertionError("no " + reason + " on " + field + " in " + result);
  }

  @Test
  void shouldAnswer422WithEveryItemWhenNothingWasAccepted() {
    HttpResponse<String> response =
        ingest.postJson(
            "/v1/patients",
            token,
            "[{\"patientId\":\"p-1\",\"careTeams\":[]},{\"careTeams\":[\"ward-1\"]}]");
    assertEquals(422, response.statusCode(), response.body());
    JsonNode problem = Json.parse(response.body());
    assertEquals("urn:vigil:problem:all-patients-rejected", problem.get("type").asText());
    assertReason(problem.get("results").get(0), "careTeams", "invalid_field");
    assertReason(problem.get("results").get(1), "patientId", "missing_field");
  }

  @Test
  void shouldRefuseMoreItemsThanABatchAndOtherDocumentShapes() {
    IngestServer small = IngestServer.start(kafka, Map.of("vigil.ingest.max-batch-readings", 3));
    try {
      String key = small.addKey("platform-small", tenant);
      ArrayNode items = Json.MAPPER.createArrayNode();
      for (int i = 0; i < 4; i++) {
        items.add(patient("p-" + i, "ward-1"));
      }
      HttpResponse<String> tooMany = small.postJson("/v1/patients", key, items.toString());
      assertEquals(413, tooMany.statusCode(), tooMany.body());
      assertEquals(4, Json.parse(tooMany.body()).get("received").asInt());
      HttpResponse<String> shape = small.postJson("/v1/patients", key, "{\"readings\":[]}");
      assertEquals(400, shape.statusCode(), shape.body());
      assertEquals(
          "urn:vigil:problem:invalid-request", Json.parse(shape.body()).get("type").asText());
    } finally {
      small.close();
    }
  }

  @Test
  void shouldRegisterFhirPatientsOfABatchBundleWithTheSameRules() {
    String ok = TestKafka.unique("fhir");
    String noTeam = TestKafka.unique("fhir");
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String bundle =
        "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
            + "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\""
            + ok
            + "\",\"gender\":\"female\",\"birthDate\":\""
            + today.minusYears(71).minusDays(1)
            + "\",\"extension\":["
            + "{\"url\":\"urn:vigil:fhir:care-team\",\"valueString\":\"ward-7\"},"
            + "{\"url\":\"urn:vigil:fhir:care-team\",\"valueString\":\"night-team\"},"
            + "{\"url\":\"urn:vigil:fhir:oxygen-therapy\",\"valueBoolean\":true},"
            + "{\"url\":\"urn:vigil:fhir:consciousness\",\"valueCode\":\"confusion\"},"
            + "{\"url\":\"urn:vigil:fhir:consciousness-time\","
            + "\"valueDateTime\":\"2026-11-20T08:30:00Z\"},"
            + "{\"url\":\"http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex\","
            + "\"valueCode\":\"F\"}]}},"
            + "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\""
            + noTeam
            + "\",\"extension\":[{\"url\":\"urn:vigil:fhir:oxygen-therapy\","
            + "\"valueString\":\"yes\"}]}},"
            + "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\""
            + ok
            + "\",\"extension\":[{\"url\":\"urn:vigil:fhir:care-team\",\"valueString\":\"x\"}]}}"
            + "]}";

    HttpResponse<String> response = ingest.post("/fhir/r4", token, FHIR, bundle);

    assertEquals(200, response.statusCode(), response.body());
    JsonNode entries = Json.parse(response.body()).get("entry");
    assertEquals("201 Created", entries.get(0).get("response").get("status").asText());
    assertEquals("422 Unprocessable Entity", entries.get(1).get("response").get("status").asText());
    String outcome = entries.get(1).get("response").get("outcome").toString();
    assertTrue(outcome.contains("urn:vigil:fhir:oxygen-therapy"), outcome);
    assertTrue(outcome.contains("urn:vigil:fhir:care-team"), outcome);
    assertTrue(outcome.contains("missing_field"), outcome);
    String duplicate = entries.get(2).get("response").get("outcome").toString();
    assertTrue(duplicate.contains("duplicate_id") && duplicate.contains("Patient.id"), duplicate);

    PatientContext context = contexts(Set.of(ok)).get(ok);
    assertEquals(List.of("ward-7", "night-team"), context.getCareTeams());
    assertEquals(71, context.getAge());
    assertEquals(Sex.FEMALE, context.getSex());
    assertTrue(context.getOxygenTherapy());
    assertEquals(Consciousness.CONFUSION, context.getConsciousness());
    assertEquals(Instant.parse("2026-11-20T08:30:00Z"), context.getConsciousnessTime());
  }

  @Test
  void shouldWriteNothingOfATransactionWithAnInvalidPatient() {
    String good = TestKafka.unique("tx");
    String bundle =
        "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
            + "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\""
            + good
            + "\",\"extension\":[{\"url\":\"urn:vigil:fhir:care-team\","
            + "\"valueString\":\"ward-1\"}]}},"
            + "{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"bad id\"}}]}";

    HttpResponse<String> response = ingest.post("/fhir/r4", token, FHIR, bundle);

    assertEquals(400, response.statusCode(), response.body());
    assertTrue(response.body().contains("invalid_id"), response.body());
    assertTrue(
        contexts(Set.of(good), Duration.ofSeconds(3)).isEmpty(),
        "nothing of a failed transaction is written");
  }

  @Test
  void shouldCountABulkRequestAgainstTheRateLimitAndTheTenantsBound() {
    IngestServer limited =
        IngestServer.start(
            kafka,
            Map.of(
                "vigil.ingest.max-patients-per-tenant", 3,
                "vigil.ingest.rate-limit-per-second", 0.01,
                "vigil.ingest.rate-limit-burst", 2));
    try {
      String bounded = TestKafka.unique("bounded");
      String key = limited.addKey("platform-limited", bounded);
      ArrayNode five = Json.MAPPER.createArrayNode();
      for (int i = 0; i < 5; i++) {
        five.add(patient("p-" + i, "ward-1"));
      }
      HttpResponse<String> first = limited.postJson("/v1/patients", key, five.toString());
      assertEquals(200, first.statusCode(), first.body());
      JsonNode results = Json.parse(first.body()).get("results");
      assertEquals("accepted", results.get(2).get("status").asText());
      assertReason(results.get(3), "patientId", "patient_limit");
      assertReason(results.get(4), "patientId", "patient_limit");

      HttpResponse<String> onlyNew =
          limited.postJson("/v1/patients", key, "[" + patient("p-9", "ward-1") + "]");
      assertEquals(429, onlyNew.statusCode(), onlyNew.body());
      assertEquals(
          "urn:vigil:problem:patient-limit", Json.parse(onlyNew.body()).get("type").asText());

      HttpResponse<String> third = limited.postJson("/v1/patients", key, five.toString());
      assertEquals(429, third.statusCode(), third.body());
      assertEquals("urn:vigil:problem:rate-limited", Json.parse(third.body()).get("type").asText());
      assertTrue(third.headers().firstValue("Retry-After").isPresent());
    } finally {
      limited.close();
    }
  }

  @Test
  void shouldAnswer503AndNotAcceptWhenKafkaDoesNotAcknowledge() {
    IngestServer unreachable =
        IngestServer.start(
            kafka,
            Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:1",
                "vigil.ingest.kafka-timeout", "2s",
                "vigil.ingest.max-patients-per-tenant", 0));
    try {
      String key = unreachable.addKey("platform-down", tenant);
      HttpResponse<String> response =
          unreachable.postJson("/v1/patients", key, "[" + patient("p-1", "ward-1") + "]");
      assertEquals(503, response.statusCode(), response.body());
      assertEquals(
          "urn:vigil:problem:kafka-unavailable", Json.parse(response.body()).get("type").asText());
      assertTrue(response.headers().firstValue("Retry-After").isPresent());
    } finally {
      unreachable.close();
    }
  }
}
