package io.vigil.alerts.app;

import static io.vigil.alerts.app.AlertsApp.ADA;
import static io.vigil.alerts.app.AlertsApp.ADA_PASSWORD;
import static io.vigil.alerts.app.AlertsApp.BOB;
import static io.vigil.alerts.app.AlertsApp.BOB_PASSWORD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.health.LifecycleWatch;
import io.vigil.alerts.lifecycle.AlertsTopology;
import io.vigil.alerts.lifecycle.LifecycleConfig;
import io.vigil.alerts.streams.AlertsStreams;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle is the alarm path and must never stop in silence. On a real broker of its own: a
 * record on {@code risk.scores} that can neither be decoded nor set aside (the dead-letter topic
 * refuses it as too large) fails each new stream thread again; the replacements are counted in
 * {@code /metrics} and shown in {@code /health}, and every nurse of every team sees the service's
 * TECHNICAL alert that alerts may not be raised or escalated, which clears once the record is set
 * aside and the threads stop failing. Then the lifecycle's client is stopped the way a failing
 * member of its group stops it (the member asks the whole application to shut down): its gauge
 * reads 0, readiness is DOWN and every nurse is told again.
 */
@WithKafka(dedicated = true)
class LifecycleDownTest {
  private static final String UP = "vigil_alerts_lifecycle_up 1.0";
  private static final String DOWN = "vigil_alerts_lifecycle_up 0.0";
  private static final String REPLACED =
      "vigil_alerts_stream_threads_replaced_total{client=\"lifecycle\"}";
  private static final String SET_ASIDE =
      "vigil_alerts_dead_letters_total{component=\"lifecycle\",topic=\"risk.scores\"} 1.0";

  @Test
  void aFailingOrStoppedLifecycleIsCountedAndEveryNurseIsToldUntilItRunsAgain(TestKafka kafka)
      throws Exception {
    String tenant = TestKafka.unique("lifecycle");
    PatientKey patient = PatientKeys.of(tenant, "bed-1");
    try (AlertsApp app =
            AlertsApp.start(
                kafka,
                tenant,
                Map.of(
                    "vigil.alerts.lifecycle-watch.grace", "2s",
                    "vigil.alerts.lifecycle-watch.thread-failures", "2",
                    "vigil.alerts.lifecycle-watch.thread-failure-window", "40s"));
        Admin admin = kafka.admin()) {
      AlertsStreams streams = app.context.getBean(AlertsStreams.class);
      Browserless ada = new Browserless(app.base);
      waitAtMost(Duration.ofSeconds(60)).until(() -> ada.get("/health").statusCode() == 200);
      assertEquals(200, ada.login(ADA, ADA_PASSWORD).statusCode());
      Browserless bob = new Browserless(app.base);
      assertEquals(200, bob.login(BOB, BOB_PASSWORD).statusCode());
      String metrics = ada.get("/metrics").body();
      assertTrue(metrics.contains(UP), "running: the gauge reads 1");
      assertEquals(0, replaced(ada), metrics);
      assertFalse(listed(ada, "TECHNICAL"));

      deadLetterLimit(admin, "512");
      byte[] tooLargeToSetAside = new byte[2048];
      Arrays.fill(tooLargeToSetAside, (byte) 'x');
      poison(kafka, patient, 0, tooLargeToSetAside);
      waitAtMost(Duration.ofSeconds(90))
          .until(() -> listed(ada, LifecycleWatch.FAILING) && listed(bob, LifecycleWatch.FAILING));
      String list = ada.get("/api/alerts").body();
      assertTrue(list.contains("\"category\":\"TECHNICAL\""), list);
      assertTrue(list.contains("may not be raised or escalated"), list);
      assertTrue(replaced(ada) >= 2, "each replaced thread counted");
      String health = ada.get("/health").body();
      assertTrue(
          health.matches(".*\"lifecycle\":\\{[^}]*\"threadsReplacedRecently\":[1-9].*"), health);

      deadLetterLimit(admin, null);
      waitAtMost(Duration.ofSeconds(30))
          .until(() -> ada.get("/metrics").body().contains(SET_ASIDE));
      waitAtMost(Duration.ofSeconds(90))
          .until(
              () -> !listed(ada, LifecycleWatch.FAILING) && !listed(bob, LifecycleWatch.FAILING));
      assertTrue(ada.get("/metrics").body().contains(UP));

      try (KafkaStreams failing = failingMember(kafka, app)) {
        waitAtMost(Duration.ofSeconds(60))
            .until(
                () ->
                    failing.state() == KafkaStreams.State.RUNNING
                        && failing.metadataForLocalThreads().stream()
                            .anyMatch(t -> !t.activeTasks().isEmpty()));
        for (int p = 0; p < Topics.RISK_SCORES.partitions(); p++) {
          poison(kafka, patient, p, "not avro at all".getBytes(StandardCharsets.UTF_8));
        }
        waitAtMost(Duration.ofSeconds(60)).until(() -> streams.state() == KafkaStreams.State.ERROR);
      }
      assertTrue(ada.get("/metrics").body().contains(DOWN), "stopped: the gauge reads 0");
      waitAtMost(Duration.ofSeconds(30))
          .until(() -> listed(ada, LifecycleWatch.STOPPED) && listed(bob, LifecycleWatch.STOPPED));
      assertTrue(ada.get("/api/alerts").body().contains("Kafka Streams state ERROR"));
      HttpResponse<String> down = ada.get("/health");
      assertEquals(503, down.statusCode(), "the alarm path is down: not ready");
      assertTrue(down.body().contains("\"lifecycle\":{\"state\":\"ERROR\""), down.body());
    }
  }

  /**
   * Awaitility fails a wait on any uncaught exception of another thread by default; here stream
   * threads fail on purpose, and the service replaces them.
   */
  private static ConditionFactory waitAtMost(Duration timeout) {
    return await().dontCatchUncaughtExceptions().atMost(timeout);
  }

  private static boolean listed(Browserless nurse, String text) throws Exception {
    HttpResponse<String> r = nurse.get("/api/alerts");
    return r.statusCode() == 200 && r.body().contains(text);
  }

  private static double replaced(Browserless client) throws Exception {
    return client
        .get("/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(REPLACED + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
        .findFirst()
        .orElse(-1);
  }

  /** Sets (or, with null, removes) the largest record the dead-letter topic accepts. */
  private static void deadLetterLimit(Admin admin, String bytes) throws Exception {
    ConfigEntry entry = new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, bytes);
    AlterConfigOp op =
        new AlterConfigOp(
            entry, bytes == null ? AlterConfigOp.OpType.DELETE : AlterConfigOp.OpType.SET);
    admin
        .incrementalAlterConfigs(
            Map.of(
                new ConfigResource(ConfigResource.Type.TOPIC, Topics.ALERTS_DEAD_LETTER.name()),
                List.of(op)))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  /** A record no one can decode as a risk score, straight onto one partition. */
  private static void poison(TestKafka kafka, PatientKey patient, int partition, byte[] value)
      throws Exception {
    String topic = Topics.RISK_SCORES.name();
    byte[] key = Topics.PATIENT_KEY.serializer().serialize(topic, patient);
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            kafka.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(topic, partition, key, value)).get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * A second member of the lifecycle's group, with the service's topology, that fails on a score it
   * cannot decode and then asks the whole application to shut down.
   */
  private static KafkaStreams failingMember(TestKafka kafka, AlertsApp app) throws Exception {
    Properties props =
        AlertsTopology.streamsConfig(
            app.applicationId(),
            kafka.bootstrapServers(),
            Files.createTempDirectory("lifecycle-member"));
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndFailExceptionHandler.class);
    KafkaStreams member =
        new KafkaStreams(AlertsTopology.build(app.context.getBean(LifecycleConfig.class)), props);
    member.setUncaughtExceptionHandler(e -> StreamThreadExceptionResponse.SHUTDOWN_APPLICATION);
    member.start();
    return member;
  }
}
