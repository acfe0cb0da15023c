package io.vigil.ingest.health;

import static io.vigil.ingest.Json.batch;
import static io.vigil.ingest.Json.reading;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.ingest.IngestServer;
import io.vigil.ingest.Json;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What operators and integrators read: readiness, metrics, the OpenAPI document. */
@WithKafka
class OperationsTest {

  @Test
  void shouldBeReadyAndExposeMetricsNamingNoPatientSourceOrTenant(TestKafka kafka) {
    try (IngestServer ingest = IngestServer.start(kafka)) {
      HttpResponse<String> health = ingest.get("/health");
      assertEquals(200, health.statusCode(), health.body());
      assertTrue(health.body().contains("\"kafka\":\"UP\""));
      assertEquals(200, ingest.get("/health/live").statusCode());

      String tenant = TestKafka.unique("metrics-tenant");
      String token = ingest.addKey("metrics-source", tenant);
      String patient = "secret-patient-4711";
      Instant now = Instant.now();
      HttpResponse<String> response =
          ingest.postJson(
              "/v1/observations",
              token,
              batch(
                  reading("a", patient, "heart_rate", 70, "/min", now),
                  reading("b", patient, "heart_rate", 7000, "/min", now)));
      assertEquals(200, response.statusCode());

      HttpResponse<String> metrics = ingest.get("/metrics");
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      String text = metrics.body();
      assertTrue(
          text.contains(
              "vigil_ingest_readings_accepted_total{source=\"*\",vital=\"HEART_RATE\"} 1.0"),
          text);
      assertTrue(
          text.contains(
              "vigil_ingest_readings_rejected_total{reason=\"out_of_range\",source=\"*\"} 1.0"),
          text);
      assertTrue(
          text.contains(
              "vigil_ingest_request_duration_seconds_bucket{route=\"observations\",status=\"200\""));
      assertTrue(text.contains("vigil_ingest_batch_readings_count{route=\"observations\"} 1"));
      assertTrue(text.contains("jvm_memory_used_bytes"));
      assertFalse(text.contains(patient), "never a patient id in metrics");
      assertFalse(text.contains("metrics-source"), "no source name unless turned on");
      assertFalse(text.contains(tenant), "never a tenant in metrics");
    }
  }

  @Test
  void shouldLabelReadingsBySourceOnlyWhenAnOperatorTurnsItOn(TestKafka kafka) {
    try (IngestServer ingest =
        IngestServer.start(kafka, Map.of("vigil.ingest.metrics-source-labels", true))) {
      String token = ingest.addKey("labelled-source", TestKafka.unique("t"));
      Instant now = Instant.now();
      HttpResponse<String> response =
          ingest.postJson(
              "/v1/observations",
              token,
              batch(
                  reading("a", "p-1", "heart_rate", 70, "/min", now),
                  reading("b", "p-1", "heart_rate", 7000, "/min", now)));
      assertEquals(200, response.statusCode());
      String text = ingest.get("/metrics").body();
      assertTrue(
          text.contains(
              "vigil_ingest_readings_accepted_total{source=\"labelled-source\",vital=\"HEART_RATE\"} 1.0"),
          text);
      assertTrue(
          text.contains(
              "vigil_ingest_readings_rejected_total{reason=\"out_of_range\",source=\"labelled-source\"} 1.0"),
          text);
      assertFalse(text.contains("source=\"*\""), text);
    }
  }

  @Test
  void shouldShowTheContextFollowerOnlyWhileTenantsAreBounded(TestKafka kafka) {
    try (IngestServer bounded = IngestServer.start(kafka)) {
      JsonNode follower =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> Json.parse(bounded.get("/health").body()).get("contextFollower"),
                  f -> f.get("state").asText().equals("UP"));
      assertEquals(0, follower.get("failures").asInt(), follower.toString());
      String text = bounded.get("/metrics").body();
      assertTrue(text.contains("vigil_ingest_context_follower_up 1.0"), text);
      assertTrue(text.contains("vigil_ingest_context_follower_records_total "), text);
      assertTrue(text.contains("vigil_ingest_context_follower_lag_records "), text);
    }
    try (IngestServer unbounded =
        IngestServer.start(kafka, Map.of("vigil.ingest.max-patients-per-tenant", 0))) {
      HttpResponse<String> health = unbounded.get("/health");
      assertEquals(200, health.statusCode(), health.body());
      assertEquals("OFF", Json.parse(health.body()).get("contextFollower").get("state").asText());
      assertFalse(
          unbounded.get("/metrics").body().contains("vigil_ingest_context_follower"),
          "nothing to follow without a bound");
    }
  }

  @Test
  void shouldServeTheGeneratedOpenApiDocument(TestKafka kafka) {
    try (IngestServer ingest = IngestServer.start(kafka)) {
      HttpResponse<String> doc = ingest.get("/openapi/vigil-ingest-0.1.yml");
      assertEquals(200, doc.statusCode());
      for (String path :
          new String[] {
            "/v1/observations",
            "/v1/patients/{patientId}",
            "/v1/patients:",
            "PatientBulkResult",
            "/fhir/r4/Observation"
          }) {
        assertTrue(doc.body().contains(path), path);
      }
    }
  }
}
