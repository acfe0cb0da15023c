package io.vigil.deploy.local;

import static io.vigil.deploy.local.PipelineService.ALERTS;
import static io.vigil.deploy.local.PipelineService.INGEST;
import static io.vigil.deploy.local.PipelineService.SCORING;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.KafkaConnection;
import io.vigil.schemas.topics.Topics;
import io.vigil.tools.replay.IngestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest, scoring and alerts, each in a JVM of its own, against a broker listener that requires
 * SASL: with the right credentials (given only through the {@code KAFKA_*} variables) every service
 * gets ready (alerts only once its streams, view and deliveries run) and readings posted to ingest
 * come out as risk scores; with a wrong password ingest is not ready and says that authentication
 * failed.
 */
class KafkaSaslServicesTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldRunThePipelineOverSaslAndSayWhyWhenTheCredentialsAreWrong(@TempDir Path work)
      throws Exception {
    Path home = work.resolve("home");
    Files.createDirectories(home);
    Path classpaths = PipelineEndToEndTest.classpaths(work, INGEST, SCORING, ALERTS);
    List<ServiceProcess> services = new ArrayList<>();
    try (LocalBroker broker =
        new LocalBroker(
                work.resolve("kafka"),
                "127.0.0.1",
                LocalBrokerTest.freePort(),
                LocalBrokerTest.freePort())
            .withSaslListener(LocalBrokerTest.freePort(), Map.of("vigil", "pipeline-pw"))) {
      broker.start();
      Map<String, String> sasl =
          Map.of(
              "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
              "KAFKA_SASL_USERNAME", "vigil",
              "KAFKA_SASL_PASSWORD", "pipeline-pw");
      int ingestPort = LocalBrokerTest.freePort();
      int scoringPort = LocalBrokerTest.freePort();
      try {
        ServiceProcess ingest =
            ServiceProcess.start(
                INGEST.spec(classpaths).withPort(ingestPort),
                home,
                broker.saslBootstrapServers(),
                sasl);
        services.add(ingest);
        ingest.awaitReady();
        ServiceProcess scoring =
            ServiceProcess.start(
                new ServiceSpec(
                    "scoring",
                    scoringPort,
                    SCORING.mainClass(),
                    SCORING.classpathFile(classpaths),
                    "/health/readiness",
                    List.of()),
                home,
                broker.saslBootstrapServers(),
                sasl);
        services.add(scoring);
        scoring.awaitReady();
        ServiceProcess alerts =
            ServiceProcess.start(
                ALERTS.spec(classpaths).withPort(LocalBrokerTest.freePort()),
                home,
                broker.saslBootstrapServers(),
                sasl);
        services.add(alerts);
        alerts.awaitReady();

        String key = Ward.DemoEnv.read(home.resolve("demo.env"), "VIGIL_API_KEY").orElseThrow();
        String tenant = Ward.DemoEnv.read(home.resolve("demo.env"), "VIGIL_TENANT").orElseThrow();
        IngestClient client = new IngestClient(URI.create("http://127.0.0.1:" + ingestPort), key);
        Instant start = Instant.now().minus(Duration.ofHours(5)).truncatedTo(ChronoUnit.HOURS);
        StringBuilder body = new StringBuilder("{\"readings\":[");
        for (int minute = 0; minute <= 3 * 60 + 10; minute += 10) {
          body.append(minute == 0 ? "" : ",")
              .append("{\"id\":\"sasl-")
              .append(minute)
              .append("\",\"patientId\":\"sasl-1\",\"code\":\"heart_rate\",\"value\":88,")
              .append("\"unit\":\"/min\",\"time\":\"")
              .append(start.plus(Duration.ofMinutes(minute)))
              .append("\"}");
        }
        client.postReadings(body.append("]}").toString());

        Properties consumer =
            KafkaConnection.fromEnvironment(
                    Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", broker.saslBootstrapServers(),
                        "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                        "KAFKA_SASL_USERNAME", "vigil",
                        "KAFKA_SASL_PASSWORD", "pipeline-pw"))
                .properties();
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "sasl-test");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<RiskScore> scores = new ArrayList<>();
        PatientKey patient = new PatientKey(tenant, "sasl-1");
        try (KafkaConsumer<PatientKey, RiskScore> c =
            new KafkaConsumer<>(
                consumer,
                Topics.RISK_SCORES.keySerde().deserializer(),
                Topics.RISK_SCORES.valueSerde().deserializer())) {
          c.subscribe(List.of(Topics.RISK_SCORES.name()));
          Instant deadline = Instant.now().plusSeconds(120);
          while (scores.size() < 3 && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<PatientKey, RiskScore> r : c.poll(Duration.ofMillis(500))) {
              if (patient.equals(r.key())) {
                scores.add(r.value());
              }
            }
          }
        }
        assertEquals(3, scores.size(), "windows ending 1, 2 and 3 hours after the start");

        // The same ingest with a wrong password: not ready, and it says why.
        int wrongPort = LocalBrokerTest.freePort();
        ServiceProcess wrong =
            ServiceProcess.start(
                new ServiceSpec(
                    "ingest-wrong-password",
                    wrongPort,
                    INGEST.mainClass(),
                    INGEST.classpathFile(classpaths),
                    "",
                    List.of()),
                home,
                broker.saslBootstrapServers(),
                Map.of(
                    "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                    "KAFKA_SASL_USERNAME", "vigil",
                    "KAFKA_SASL_PASSWORD", "not-the-password"));
        services.add(wrong);
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofSeconds(1))
            .ignoreExceptions()
            .untilAsserted(
                () -> {
                  HttpResponse<String> health =
                      http.send(
                          HttpRequest.newBuilder(
                                  URI.create("http://127.0.0.1:" + wrongPort + "/health"))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  assertEquals(503, health.statusCode());
                  assertTrue(health.body().contains("authentication failed"), health.body());
                });
      } finally {
        for (int i = services.size() - 1; i >= 0; i--) {
          services.get(i).stop();
        }
      }
    }
  }
}
