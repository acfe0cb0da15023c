package io.vigil.ingest.kafka;

import static io.vigil.ingest.Json.reading;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.ingest.IngestServer;
import io.vigil.ingest.Json;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away while platforms are posting: every 2xx answer must cover only readings the
 * broker acknowledged, and requests caught by the outage get 503 + Retry-After within the bound.
 */
@WithKafka(dedicated = true)
class KafkaOutageTest {
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(3);

  private record Outcome(
      int status, List<String> ids, Duration took, String retryAfter, String body) {}

  @Test
  void shouldNeverAnswer2xxForReadingsKafkaDidNotAcknowledge(TestKafka kafka) throws Exception {
    List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    AtomicBoolean stopped = new AtomicBoolean();
    try (IngestServer ingest =
        IngestServer.start(
            kafka,
            Map.of(
                "vigil.ingest.kafka-timeout",
                KAFKA_TIMEOUT.toMillis() + "ms",
                "vigil.ingest.retry-after",
                "7s",
                "vigil.ingest.producer.interceptor.classes",
                AckRecorder.class.getName()))) {
      String token = ingest.addKey("platform-outage", TestKafka.unique("tenant"));
      String patient = TestKafka.unique("p");
      CompletableFuture<Void> poster =
          CompletableFuture.runAsync(
              () -> {
                int batchNo = 0;
                int unavailable = 0;
                while (unavailable < 2 && batchNo < 2000) {
                  List<String> ids = new ArrayList<>();
                  List<JsonNode> readings = new ArrayList<>();
                  for (int i = 0; i < 200; i++) {
                    String id = "b" + batchNo + "-" + i;
                    ids.add(id);
                    ObjectNode r =
                        reading(id, patient, "heart_rate", 60 + i % 40, "/min", Instant.now());
                    readings.add(r);
                  }
                  batchNo++;
                  long start = System.nanoTime();
                  HttpResponse<String> response =
                      ingest.postJson(
                          "/v1/observations", token, Json.batch(readings.toArray(JsonNode[]::new)));
                  outcomes.add(
                      new Outcome(
                          response.statusCode(),
                          ids,
                          Duration.ofNanos(System.nanoTime() - start),
                          response.headers().firstValue("Retry-After").orElse(null),
                          response.body()));
                  if (response.statusCode() == 503) {
                    unavailable++;
                  }
                }
              });

      await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() >= 5);
      kafka.stop();
      stopped.set(true);
      poster.get(60, TimeUnit.SECONDS);

      int ok = 0;
      int failed = 0;
      for (Outcome o : outcomes) {
        assertTrue(
            o.status() == 200 || o.status() == 503, "status " + o.status() + ": " + o.body());
        if (o.status() == 200) {
          ok++;
          for (String id : o.ids()) {
            assertTrue(
                AckRecorder.ACKNOWLEDGED.contains(id), "answered 200 but not acknowledged: " + id);
          }
        } else {
          failed++;
          assertEquals("7", o.retryAfter());
          JsonNode problem = Json.parse(o.body());
          assertEquals("urn:vigil:problem:kafka-unavailable", problem.get("type").asText());
          assertTrue(
              o.took().compareTo(KAFKA_TIMEOUT.plusSeconds(3)) < 0,
              "503 must come within the Kafka timeout plus slack, took " + o.took());
        }
      }
      assertTrue(ok >= 5, "batches before the outage were accepted");
      assertTrue(failed >= 2, "batches during the outage were refused");

      HttpResponse<String> health = ingest.get("/health");
      assertEquals(503, health.statusCode(), "not ready without Kafka");
      assertTrue(health.body().contains("\"kafka\":\"DOWN\""));
    }
    assertTrue(stopped.get());
  }
}
