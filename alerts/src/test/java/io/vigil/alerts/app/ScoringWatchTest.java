package io.vigil.alerts.app;

import static io.vigil.alerts.app.AlertsApp.ADA;
import static io.vigil.alerts.app.AlertsApp.ADA_PASSWORD;
import static io.vigil.alerts.app.AlertsApp.BOB;
import static io.vigil.alerts.app.AlertsApp.BOB_PASSWORD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.health.ScoringWatch;
import io.vigil.schemas.health.ServiceStatus;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Nurses learn when patients stop being scored. Two scoring instances report on services.status (in
 * the format scoring writes, every second) that they share the six partitions of the readings; one
 * goes silent, as a killed instance does. After the grace every nurse of every team sees a
 * TECHNICAL SCORING_STOPPED alert giving the share of patients not scored, health and metrics show
 * the uncovered partitions; when the survivor reports every partition, the alert clears.
 */
@WithKafka
class ScoringWatchTest {

  @Test
  void nursesAreToldWhenSomePatientsAreScoredByNoInstanceAndWhenScoringRecovers(TestKafka kafka)
      throws Exception {
    String tenant = TestKafka.unique("watch");
    String application = TestKafka.unique("scoring");
    Map<String, ServiceStatus> reporting = new ConcurrentHashMap<>();
    reporting.put("10.0.0.1:8082", report(application, "10.0.0.1:8082", List.of(0, 1, 2)));
    reporting.put("10.0.0.2:8082", report(application, "10.0.0.2:8082", List.of(3, 4, 5)));
    // A report for another scoring application in the same cluster says nothing about ours.
    reporting.put("other", report(TestKafka.unique("elsewhere"), "10.0.0.9:8082", List.of()));
    ScheduledExecutorService scoring = Executors.newSingleThreadScheduledExecutor();
    try (KafkaProducer<String, ServiceStatus> producer = kafka.producer(Topics.SERVICES_STATUS);
        AlertsApp app =
            AlertsApp.start(
                kafka,
                tenant,
                Map.of(
                    "vigil.alerts.scoring-watch.application",
                    application,
                    "vigil.alerts.scoring-watch.grace",
                    "2s"))) {
      scoring.scheduleAtFixedRate(
          () ->
              reporting.forEach(
                  (instance, r) -> {
                    r.setTime(Instant.now());
                    producer.send(
                        new ProducerRecord<>(
                            Topics.SERVICES_STATUS.name(),
                            "scoring/" + r.getApplication() + "/" + r.getInstance(),
                            ServiceStatus.newBuilder(r).build()));
                  }),
          0,
          1,
          TimeUnit.SECONDS);
      Browserless ada = new Browserless(app.base);
      assertEquals(200, ada.login(ADA, ADA_PASSWORD).statusCode());
      Browserless bob = new Browserless(app.base);
      assertEquals(200, bob.login(BOB, BOB_PASSWORD).statusCode());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> metric(ada, "vigil_alerts_scoring_partitions_expected") == 6);
      assertEquals(0, metric(ada, "vigil_alerts_scoring_partitions_unscored"));
      assertFalse(ada.get("/api/alerts").body().contains(ScoringWatch.CAUSE));

      List<String> adasStream = new CopyOnWriteArrayList<>();
      try (var s = ada.stream("/api/stream", adasStream)) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> adasStream.stream().anyMatch(l -> l.contains("ready")));
        reporting.remove("10.0.0.2:8082"); // killed: no last report, only silence
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> adasStream.stream().anyMatch(l -> l.contains(ScoringWatch.CAUSE)));
        String list = ada.get("/api/alerts").body();
        assertTrue(list.contains("\"category\":\"TECHNICAL\""), list);
        assertTrue(list.contains("about 50 % of patients"), list);
        assertTrue(list.contains("10.0.0.2:8082 silent since"), list);
        assertTrue(bob.get("/api/alerts").body().contains(ScoringWatch.CAUSE), "every team");
        assertEquals(3, metric(ada, "vigil_alerts_scoring_partitions_unscored"));
        String health = ada.get("/health").body();
        assertTrue(health.contains("\"scoringPartitionsUnscored\":3"), health);

        // The survivor takes over the partitions after the rebalance.
        reporting.put(
            "10.0.0.1:8082", report(application, "10.0.0.1:8082", List.of(0, 1, 2, 3, 4, 5)));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> !ada.get("/api/alerts").body().contains(ScoringWatch.CAUSE));
        assertTrue(adasStream.stream().anyMatch(l -> l.contains("\"status\":\"RESOLVED\"")));
        assertEquals(0, metric(ada, "vigil_alerts_scoring_partitions_unscored"));
      }
    } finally {
      scoring.shutdownNow();
    }
  }

  private static ServiceStatus report(String application, String instance, List<Integer> active) {
    return ServiceStatus.newBuilder()
        .setService("scoring")
        .setApplication(application)
        .setInstance(instance)
        .setTime(Instant.now())
        .setIntervalMillis(1000)
        .setState("RUNNING")
        .setProcessing(true)
        .setInputTopic(Topics.VITALS_OBSERVATIONS.name())
        .setInputPartitions(Topics.VITALS_OBSERVATIONS.partitions())
        .setActivePartitions(active)
        .setThreadsAlive(1)
        .setThreadsReplacedRecently(0)
        .setThreadsReplacedLimit(3)
        .build();
  }

  private static double metric(Browserless client, String name) throws Exception {
    return client
        .get("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
        .findFirst()
        .orElse(-1);
  }
}
