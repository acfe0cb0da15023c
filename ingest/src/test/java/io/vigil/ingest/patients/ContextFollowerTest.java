package io.vigil.ingest.patients;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The follower of {@code patients.context} behind the patient bound, against brokers that go away
 * and a topic that grows: what operators see in {@code /health} and {@code /metrics}, and what the
 * bound counts. Three brokers so that every one of them can be stopped and started again.
 */
@WithKafka(brokers = 3, dedicated = true)
class ContextFollowerTest {
  private static final String CONTEXT = "{\"careTeams\":[\"ward-1\"]}";
  private static final String UP = "vigil_ingest_context_follower_up";
  private static final String RECORDS = "vigil_ingest_context_follower_records_total";

  @Test
  void shouldShowTheFollowerDownWhileNoBrokerAnswersAndCountContextOnceItIsBack(TestKafka kafka)
      throws Exception {
    String tenant = TestKafka.unique("t");
    try (IngestServer ingest =
        IngestServer.start(kafka, Map.of("vigil.ingest.max-patients-per-tenant", 2))) {
      String token = ingest.addKey("platform", tenant);
      assertEquals(200, put(ingest, token, "p1").statusCode());
      awaitFollower(ingest, "UP");
      assertEquals(1.0, metric(ingest, UP));

      for (int i = 0; i < kafka.brokerCount(); i++) {
        kafka.stopBroker(i);
      }
      JsonNode down = awaitFollower(ingest, "DOWN");
      assertFalse(down.get("lastError").asText().isBlank(), down.toString());
      assertTrue(down.get("failures").asInt() >= 1, down.toString());
      assertEquals(503, ingest.get("/health").statusCode(), "not ready without Kafka");
      assertEquals(0.0, metric(ingest, UP));

      for (int i = 0; i < kafka.brokerCount(); i++) {
        kafka.startBroker(i);
      }
      // Written straight to Kafka, as a platform may, as soon as the brokers are back.
      double read = metric(ingest, RECORDS);
      writeContext(kafka, tenant, "p2", null);
      JsonNode back = awaitFollower(ingest, "UP");
      assertEquals(0, back.get("failures").asInt(), back.toString());
      assertTrue(back.get("restarts").asInt() >= 1, back.toString());
      assertEquals(1.0, metric(ingest, UP));
      await().atMost(Duration.ofSeconds(10)).until(() -> metric(ingest, RECORDS) > read);
      assertTrue(metric(ingest, "vigil_ingest_context_follower_restarts_total") >= 1);

      HttpResponse<String> third = put(ingest, token, "p3");
      assertEquals(429, third.statusCode(), "p1 and p2 fill the bound of 2: " + third.body());
      assertEquals(
          200, put(ingest, token, "p1").statusCode(), "a known patient still gets context");
    }
  }

  @Test
  void shouldCountContextOnPartitionsAddedWhileItRuns(TestKafka kafka) throws Exception {
    String tenant = TestKafka.unique("t");
    try (IngestServer ingest =
        IngestServer.start(kafka, Map.of("vigil.ingest.max-patients-per-tenant", 1))) {
      String token = ingest.addKey("platform", tenant);
      awaitFollower(ingest, "UP");
      String topic = Topics.PATIENTS_CONTEXT.name();
      int added;
      try (Admin admin = kafka.admin()) {
        int partitions =
            admin
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .size();
        admin
            .createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions + 1)))
            .all()
            .get(30, TimeUnit.SECONDS);
        added = partitions;
      }
      double read = metric(ingest, RECORDS);
      writeContext(kafka, tenant, "q1", added);
      await().atMost(Duration.ofSeconds(30)).until(() -> metric(ingest, RECORDS) > read);

      HttpResponse<String> second = put(ingest, token, "q2");
      assertEquals(429, second.statusCode(), "q1 on the new partition fills the bound of 1");
    }
  }

  private static HttpResponse<String> put(IngestServer ingest, String token, String patient) {
    return ingest.send("PUT", "/v1/patients/" + patient, token, "application/json", CONTEXT);
  }

  /** Writes a patient's context to {@code patients.context}, on {@code partition} if given. */
  private static void writeContext(
      TestKafka kafka, String tenant, String patient, Integer partition) throws Exception {
    PatientContext context =
        PatientContext.newBuilder()
            .setCareTeams(List.of("ward-1"))
            .setUpdatedAt(Instant.now())
            .build();
    try (KafkaProducer<PatientKey, PatientContext> producer =
        kafka.producer(Topics.PATIENTS_CONTEXT)) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.PATIENTS_CONTEXT.name(),
                  partition,
                  new PatientKey(tenant, patient),
                  context))
          .get(60, TimeUnit.SECONDS);
    }
  }

  /** Waits until {@code /health} shows the follower in {@code state}; returns its details. */
  private static JsonNode awaitFollower(IngestServer ingest, String state) {
    return await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> Json.parse(ingest.get("/health").body()).get("contextFollower"),
            follower -> state.equals(follower.get("state").asText()));
  }

  /** The value of an unlabelled metric in {@code /metrics}. */
  private static double metric(IngestServer ingest, String name) {
    return ingest
        .get("/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not in /metrics"));
  }
}
