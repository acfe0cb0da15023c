package io.vigil.ingest.patients;

import static io.vigil.ingest.Json.batch;
import static io.vigil.ingest.Json.reading;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.ingest.IngestServer;
import io.vigil.ingest.Json;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

@WithKafka
class PatientLimitTest {
  private static final String CONTEXT = "{\"careTeams\":[\"ward-1\"]}";

  private static HttpResponse<String> put(IngestServer ingest, String token, String patient) {
    return ingest.send("PUT", "/v1/patients/" + patient, token, "application/json", CONTEXT);
  }

  private static String heartRate(String id, String patient) {
    return batch(reading(id, patient, "heart_rate", 80, "/min", Instant.now()));
  }

  private static void assertPatientLimit(HttpResponse<String> response) {
    assertEquals(429, response.statusCode(), response.body());
    assertEquals("3600", response.headers().firstValue("Retry-After").orElseThrow());
    JsonNode problem = Json.parse(response.body());
    assertEquals("urn:vigil:problem:patient-limit", problem.get("type").asText());
    assertEquals("max-patients-per-tenant", problem.get("bound").asText());
    assertEquals(2, problem.get("limit").asInt());
    assertTrue(problem.get("detail").asText().contains("bound of 2 patients"), problem.toString());
  }

  @Test
  void shouldRefuseANewPatientBeyondTheTenantsBoundOnEveryPath(TestKafka kafka) {
    try (IngestServer ingest =
        IngestServer.start(kafka, Map.of("vigil.ingest.max-patients-per-tenant", 2))) {
      String tenant = TestKafka.unique("t");
      String token = ingest.addKey("platform", tenant);
      assertEquals(200, put(ingest, token, "p1").statusCode());
      assertEquals(
          200, ingest.postJson("/v1/observations", token, heartRate("r2", "p2")).statusCode());

      assertPatientLimit(put(ingest, token, "p3"));
      assertPatientLimit(ingest.postJson("/v1/observations", token, heartRate("r3", "p3")));

      HttpResponse<String> mixed =
          ingest.postJson(
              "/v1/observations",
              token,
              batch(
                  reading("r4", "p1", "heart_rate", 80, "/min", Instant.now()),
                  reading("r5", "p4", "heart_rate", 80, "/min", Instant.now())));
      assertEquals(200, mixed.statusCode(), "known patients keep flowing: " + mixed.body());
      JsonNode result = Json.parse(mixed.body());
      assertEquals(1, result.get("accepted").asInt());
      assertEquals("patient_limit", result.get("rejected").get(0).get("reason").asText());
      assertEquals(1, result.get("rejected").get(0).get("index").asInt());

      String fhir =
          "{\"resourceType\":\"Observation\",\"id\":\"hr-9\",\"status\":\"final\","
              + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},"
              + "\"subject\":{\"reference\":\"Patient/p9\"},\"effectiveDateTime\":\""
              + Instant.now()
              + "\",\"valueQuantity\":{\"value\":80,\"system\":\"http://unitsofmeasure.org\","
              + "\"code\":\"/min\"}}";
      HttpResponse<String> fhirNew =
          ingest.post("/fhir/r4/Observation", token, "application/fhir+json", fhir);
      assertEquals(429, fhirNew.statusCode(), fhirNew.body());
      assertEquals(
          "throttled", Json.parse(fhirNew.body()).get("issue").get(0).get("code").asText());
      assertTrue(fhirNew.headers().firstValue("Retry-After").isPresent());

      assertEquals(200, put(ingest, token, "p2").statusCode(), "a known patient gets context");
      String other = ingest.addKey("platform", TestKafka.unique("t"));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> put(ingest, other, "p3").statusCode() == 200);
      assertEquals(200, put(ingest, other, "p4").statusCode(), "other tenants have their own");
    }
  }

  @Test
  void shouldCountPatientsWhoseContextAnotherInstanceWrote(TestKafka kafka) {
    Map<String, Object> bounded = Map.of("vigil.ingest.max-patients-per-tenant", 2);
    String tenant = TestKafka.unique("t");
    try (IngestServer first = IngestServer.start(kafka, bounded)) {
      String token = first.addKey("platform", tenant);
      assertEquals(200, put(first, token, "c1").statusCode());
      assertEquals(200, put(first, token, "c2").statusCode());
      try (IngestServer second = IngestServer.start(kafka, bounded)) {
        String key = second.addKey("platform", tenant);
        PatientRegistry registry = second.context().getBean(PatientRegistry.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.count(tenant) == 2);
        assertPatientLimit(put(second, key, "c3"));
        assertEquals(200, put(second, key, "c1").statusCode());
      }
    }
  }

  @Test
  void shouldNotCountContextOfAnAbortedTransaction(TestKafka kafka) throws Exception {
    String tenant = TestKafka.unique("t");
    String marker = TestKafka.unique("t");
    try (IngestServer ingest =
        IngestServer.start(kafka, Map.of("vigil.ingest.max-patients-per-tenant", 2))) {
      String token = ingest.addKey("platform", tenant);
      Properties props = kafka.producerProperties();
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestKafka.unique("context-writer"));
      try (KafkaProducer<PatientKey, PatientContext> producer =
          new KafkaProducer<>(
              props,
              Topics.PATIENTS_CONTEXT.keySerde().serializer(),
              Topics.PATIENTS_CONTEXT.valueSerde().serializer())) {
        producer.initTransactions();
        // One partition, in this order: what follows the aborted record is read after it.
        writeInTransaction(producer, new PatientKey(tenant, "committed"), true);
        writeInTransaction(producer, new PatientKey(tenant, "aborted"), false);
        writeInTransaction(producer, new PatientKey(marker, "last"), true);
      }
      PatientRegistry registry = ingest.context().getBean(PatientRegistry.class);
      await().atMost(Duration.ofSeconds(30)).until(() -> registry.count(marker) == 1);

      assertEquals(200, put(ingest, token, "new").statusCode(), "the aborted patient never was");
      assertPatientLimit(put(ingest, token, "another"));
    }
  }

  private static void writeInTransaction(
      KafkaProducer<PatientKey, PatientContext> producer, PatientKey key, boolean commit)
      throws Exception {
    PatientContext context =
        PatientContext.newBuilder()
            .setCareTeams(List.of("ward-1"))
            .setUpdatedAt(Instant.now())
            .build();
    producer.beginTransaction();
    producer.send(new ProducerRecord<>(Topics.PATIENTS_CONTEXT.name(), 0, key, context)).get();
    if (commit) {
      producer.commitTransaction();
    } else {
      producer.abortTransaction();
    }
  }
}
