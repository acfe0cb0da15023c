package io.vigil.alerts.app;

import static io.vigil.alerts.app.AlertsApp.ADA;
import static io.vigil.alerts.app.AlertsApp.ADA_PASSWORD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.alerts.lifecycle.AlertsTopology;
import io.vigil.alerts.streams.AlertsStreams;
import io.vigil.alerts.streams.VitalsHistory;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/**
 * The vitals history is not an alarm path, but it must not stop in silence: on a real broker its
 * Kafka Streams client is stopped the way a failing member of its group stops it (the member asks
 * the whole application to shut down), and operators see it in {@code /metrics} and {@code
 * /health}, the nurse who opens a patient's charts is told they are unavailable, and the alarm path
 * stays ready without raising a technical alert to nurses. A reading it cannot decode is set aside
 * under its own name, not the lifecycle's. Its own cluster: the test writes undecodable readings to
 * every partition of {@code vitals.observations}.
 */
@WithKafka(dedicated = true)
class VitalsHistoryDownTest {
  private static final String UP = "vigil_alerts_vitals_history_up 1.0";
  private static final String DOWN = "vigil_alerts_vitals_history_up 0.0";
  private static final String HISTORY_DEAD_LETTER =
      "vigil_alerts_dead_letters_total{component=\"vitals-history\",topic=\"vitals.observations\"}"
          + " 1.0";
  private static final String LIFECYCLE_DEAD_LETTER =
      "vigil_alerts_dead_letters_total{component=\"lifecycle\",topic=\"vitals.observations\"}";

  @Test
  void aStoppedHistoryReadsZeroAndItsChartsAnswer503WhileAlertsStayReady(TestKafka kafka)
      throws Exception {
    String tenant = TestKafka.unique("charts");
    PatientKey patient = PatientKeys.of(tenant, "bed-1");
    String historyPath =
        "/api/patient/history?part=vitals&key="
            + URLEncoder.encode(PatientKeys.format(patient), StandardCharsets.UTF_8);
    try (AlertsApp app = AlertsApp.start(kafka, tenant, Map.of())) {
      AlertsStreams streams = app.context.getBean(AlertsStreams.class);
      Browserless ada = new Browserless(app.base);
      await().atMost(Duration.ofSeconds(60)).until(() -> ada.get("/health").statusCode() == 200);
      assertEquals(200, ada.login(ADA, ADA_PASSWORD).statusCode());
      Instant now = Instant.now();
      kafka.produce(Topics.PATIENTS_CONTEXT, Map.of(patient, Scores.context(now, "ward-1")));
      try (KafkaProducer<PatientKey, VitalObservation> p =
          kafka.producer(Topics.VITALS_OBSERVATIONS)) {
        p.send(Scores.heartRate(patient, 72, now.minus(Duration.ofMinutes(5))))
            .get(30, TimeUnit.SECONDS);
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                HttpResponse<String> charts = ada.get(historyPath);
                return charts.statusCode() == 200 && charts.body().contains("\"max\":72.0");
              });
      assertTrue(ada.get("/metrics").body().contains(UP), "running: the gauge reads 1");
      undecodableReading(kafka, patient, 0);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> ada.get("/metrics").body().contains(HISTORY_DEAD_LETTER));
      assertFalse(
          ada.get("/metrics").body().contains(LIFECYCLE_DEAD_LETTER),
          "set aside by the history, not the lifecycle");

      try (KafkaStreams failing = failingMember(kafka, app)) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    failing.state() == KafkaStreams.State.RUNNING
                        && failing.metadataForLocalThreads().stream()
                            .anyMatch(t -> !t.activeTasks().isEmpty()));
        undecodableReadingOnEveryPartition(kafka, patient);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> streams.historyState() == KafkaStreams.State.ERROR);
      }

      String metrics = ada.get("/metrics").body();
      assertTrue(metrics.contains(DOWN), "stopped: the gauge reads 0");
      assertFalse(
          metrics.contains("vigil_alerts_component_up{component=\"vitals"),
          "not an alarm path: no vigil_alerts_component_up series (that one pages)");
      HttpResponse<String> health = ada.get("/health");
      assertEquals(200, health.statusCode(), "readiness does not depend on the charts");
      assertTrue(health.body().contains("\"vitalsHistory\":{\"state\":\"ERROR\""), health.body());
      assertTrue(health.body().contains("\"lifecycle\":{\"state\":\"RUNNING\""), health.body());

      HttpResponse<String> charts = ada.get(historyPath);
      assertEquals(503, charts.statusCode(), charts.body());
      assertTrue(charts.body().contains("history-unavailable"), charts.body());
      assertEquals("2", charts.headers().firstValue("Retry-After").orElse(null));
      String page =
          ada.get(
                  "/api/patient?key="
                      + URLEncoder.encode(PatientKeys.format(patient), StandardCharsets.UTF_8))
              .body();
      assertTrue(page.contains("\"unavailable\":[{\"part\":\"vitals\""), page);
      assertFalse(ada.get("/api/alerts").body().contains("TECHNICAL"), "no alert to nurses");
    }
  }

  /**
   * A second member of the history's group, with the service's topology, that fails on a reading it
   * cannot decode and then asks the whole application to shut down.
   */
  private static KafkaStreams failingMember(TestKafka kafka, AlertsApp app) throws Exception {
    Topology topology = VitalsHistory.topology();
    Properties props =
        AlertsTopology.streamsConfig(
            app.applicationId() + AlertsStreams.HISTORY_SUFFIX,
            kafka.bootstrapServers(),
            Files.createTempDirectory("history-member"));
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndFailExceptionHandler.class);
    KafkaStreams member = new KafkaStreams(topology, props);
    member.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.SHUTDOWN_APPLICATION);
    member.start();
    return member;
  }

  private static void undecodableReadingOnEveryPartition(TestKafka kafka, PatientKey patient)
      throws Exception {
    for (int partition = 0; partition < Topics.VITALS_OBSERVATIONS.partitions(); partition++) {
      undecodableReading(kafka, patient, partition);
    }
  }

  private static void undecodableReading(TestKafka kafka, PatientKey patient, int partition)
      throws Exception {
    String topic = Topics.VITALS_OBSERVATIONS.name();
    byte[] key = Topics.PATIENT_KEY.serializer().serialize(topic, patient);
    byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            kafka.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(topic, partition, key, garbage)).get(30, TimeUnit.SECONDS);
    }
  }
}
