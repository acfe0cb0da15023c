package io.vigil.alerts.app;

import static io.vigil.alerts.app.AlertsApp.ADA;
import static io.vigil.alerts.app.AlertsApp.ADA_PASSWORD;
import static io.vigil.alerts.app.AlertsApp.BOB;
import static io.vigil.alerts.app.AlertsApp.BOB_PASSWORD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.alerts.streams.AlertsStreams;
import io.vigil.alerts.view.AlertView;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.TopicSpec;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The alarm paths against a real broker and real HTTP: records nobody can decode, written straight
 * to the topics, never stop the lifecycle or the alert view (they are set aside with their reason
 * and origin and counted, and the next alerts still reach the nurse); a webhook endpoint that hangs
 * never delays another team's deliveries; the service's own TECHNICAL alert reaches only the teams
 * it concerns.
 */
@SuppressWarnings("unchecked")
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlarmPathsTest {
  private static final byte[] GARBAGE = "not avro at all".getBytes(StandardCharsets.UTF_8);
  private final String tenant = TestKafka.unique("paths");
  private final CountDownLatch release = new CountDownLatch(1);
  private AlertsApp app;
  private WebhookReceiver hanging;
  private WebhookReceiver healthy;

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    hanging =
        new WebhookReceiver(
            call -> {
              try {
                release.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return 200;
            });
    healthy = new WebhookReceiver(call -> 200);
    String ward1 = "vigil.alerts.tenants." + tenant + ".teams.ward-1.webhook.";
    String ward2 = "vigil.alerts.tenants." + tenant + ".teams.ward-2.webhook.";
    app =
        AlertsApp.start(
            kafka,
            tenant,
            Map.of(
                ward1 + "url",
                hanging.url(),
                ward1 + "secret",
                "ward-1-hook-secret-0123",
                ward2 + "url",
                healthy.url(),
                ward2 + "secret",
                "ward-2-hook-secret-0123",
                "vigil.alerts.webhook.timeout",
                "60s"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> new Browserless(app.base).get("/health").statusCode() == 200);
  }

  @AfterAll
  void stop() {
    release.countDown();
    app.close();
    hanging.close();
    healthy.close();
  }

  private static void produceRaw(TestKafka kafka, TopicSpec<PatientKey, ?> topic, PatientKey key)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            kafka.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
      p.send(
              new ProducerRecord<>(
                  topic.name(),
                  Topics.PATIENT_KEY.serializer().serialize(topic.name(), key),
                  GARBAGE))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static boolean listed(Browserless nurse, String text) throws Exception {
    HttpResponse<String> r = nurse.get("/api/alerts");
    return r.statusCode() == 200 && r.body().contains(text);
  }

  @Test
  void undecodableRecordsAreSetAsideAndTheNextAlertsStillReachTheNurse(TestKafka kafka)
      throws Exception {
    PatientKey patient = PatientKeys.of(tenant, "bed-poison");
    Instant t = Instant.now().minus(Duration.ofMinutes(30));
    kafka.produce(Topics.PATIENTS_CONTEXT, Map.of(patient, Scores.context(t, "ward-2")));
    // Same key, so the same partition as the patient's next records, on every input the
    // lifecycle and the view read.
    produceRaw(kafka, Topics.RISK_SCORES, patient);
    produceRaw(kafka, Topics.ALERTS_ACTIONS, patient);
    produceRaw(kafka, Topics.PATIENTS_CONTEXT, patient);
    produceRaw(kafka, Topics.ALERTS_EVENTS, patient);
    kafka.produce(Topics.RISK_SCORES, Map.of(patient, Scores.score(t.plusSeconds(60), 0.2, 8)));

    Browserless bob = new Browserless(app.base);
    assertEquals(200, bob.login(BOB, BOB_PASSWORD).statusCode());
    String key = "\"patient\":\"" + PatientKeys.format(patient) + "\"";
    await().atMost(Duration.ofSeconds(60)).until(() -> listed(bob, key));

    List<ConsumerRecord<byte[], byte[]>> dead =
        kafka.consume(
            Topics.ALERTS_DEAD_LETTER,
            4,
            Duration.ofSeconds(60),
            r -> java.util.Arrays.equals(GARBAGE, r.value()) && tenantKey(r, patient));
    assertEquals(
        Set.of("risk.scores", "alerts.actions", "patients.context", "alerts.events"),
        dead.stream()
            .map(r -> header(r, Topics.DEAD_LETTER_TOPIC))
            .collect(java.util.stream.Collectors.toSet()));
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      assertTrue(header(r, Topics.DEAD_LETTER_REASON).contains("Exception"), "a reason");
      assertTrue(Long.parseLong(header(r, Topics.DEAD_LETTER_OFFSET)) >= 0, "the origin offset");
      assertTrue(Integer.parseInt(header(r, Topics.DEAD_LETTER_PARTITION)) >= 0);
      String component = header(r, Topics.DEAD_LETTER_COMPONENT);
      assertEquals(
          "alerts.events".equals(header(r, Topics.DEAD_LETTER_TOPIC)) ? "alert-view" : "lifecycle",
          component);
    }
    String metrics = new Browserless(app.base).get("/metrics").body();
    assertTrue(
        metrics.contains(
            "vigil_alerts_dead_letters_total{component=\"lifecycle\",topic=\"risk.scores\"}"),
        metrics);
    assertTrue(
        metrics.contains(
            "vigil_alerts_dead_letters_total{component=\"alert-view\",topic=\"alerts.events\"}"),
        metrics);
    assertTrue(metrics.contains("vigil_alerts_component_up{component=\"alert-view\"} 1.0"));
    assertFalse(metrics.contains(tenant), "no tenant in metric labels");
  }

  private static boolean tenantKey(ConsumerRecord<byte[], byte[]> r, PatientKey patient) {
    return r.key() != null
        && patient.equals(Topics.PATIENT_KEY.deserializer().deserialize("t", r.key()));
  }

  /**
   * Every reading goes to the vitals history, hundreds of times as many records as the scores: the
   * lifecycle's stream thread must never hold them, or an alarm would wait behind the charts.
   */
  @Test
  void theLifecycleReadsNoReadingsAndTheChartsRunInAClientOfTheirOwn(TestKafka kafka)
      throws Exception {
    String lifecycle = app.applicationId();
    String history = lifecycle + AlertsStreams.HISTORY_SUFFIX;
    try (Admin admin = kafka.admin()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> !assigned(admin, lifecycle).isEmpty() && !assigned(admin, history).isEmpty());
      Set<String> lifecycleTopics = assigned(admin, lifecycle);
      assertTrue(lifecycleTopics.contains(Topics.RISK_SCORES.name()), lifecycleTopics.toString());
      assertFalse(
          lifecycleTopics.contains(Topics.VITALS_OBSERVATIONS.name()), lifecycleTopics.toString());
      assertEquals(Set.of(Topics.VITALS_OBSERVATIONS.name()), assigned(admin, history));
    }
    String health = new Browserless(app.base).get("/health").body();
    assertTrue(health.contains("\"vitalsHistory\":{\"state\":\"RUNNING\""), health);
  }

  /** The topics of the partitions assigned to the members of {@code group}. */
  private static Set<String> assigned(Admin admin, String group) throws Exception {
    Set<String> topics = new java.util.TreeSet<>();
    admin
        .describeConsumerGroups(List.of(group))
        .all()
        .get(10, TimeUnit.SECONDS)
        .get(group)
        .members()
        .forEach(m -> m.assignment().topicPartitions().forEach(tp -> topics.add(tp.topic())));
    return topics;
  }

  @Test
  void aHangingEndpointNeverDelaysAnotherTeamsDeliveries(TestKafka kafka) throws Exception {
    PatientKey first = PatientKeys.of(tenant, "bed-hang");
    PatientKey second = PatientKeys.of(tenant, "bed-fast");
    Instant t = Instant.now().minus(Duration.ofMinutes(30));
    kafka.produce(
        Topics.PATIENTS_CONTEXT,
        Map.of(first, Scores.context(t, "ward-1"), second, Scores.context(t, "ward-2")));
    app.awaitLifecycleCaughtUp(kafka); // each team's webhook gets its alert from RAISED on
    kafka.produce(Topics.RISK_SCORES, Map.of(first, Scores.score(t.plusSeconds(60), 0.2, 8)));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                hanging.received.stream()
                    .anyMatch(r -> r.body().contains(PatientKeys.format(first))));
    // ward-1's endpoint now holds its delivery open for up to a minute.
    Instant sent = Instant.now();
    kafka.produce(Topics.RISK_SCORES, Map.of(second, Scores.score(t.plusSeconds(60), 0.2, 8)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                healthy.received.stream()
                    .anyMatch(
                        r ->
                            r.body().contains(PatientKeys.format(second))
                                && "RAISED".equals(r.header("X-Vigil-Event"))));
    Duration took = Duration.between(sent, Instant.now());
    assertTrue(release.getCount() == 1, "ward-1's endpoint was still hanging");
    assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "ward-2 delivered in " + took);
    String health = new Browserless(app.base).get("/health").body();
    assertTrue(health.contains(tenant + "/ward-1"), health);
    assertTrue(health.contains(tenant + "/ward-2"), health);
  }

  @Test
  void theServicesOwnTechnicalAlertReachesOnlyTheTeamsItConcerns() throws Exception {
    Browserless ada = new Browserless(app.base);
    assertEquals(200, ada.login(ADA, ADA_PASSWORD).statusCode());
    Browserless bob = new Browserless(app.base);
    assertEquals(200, bob.login(BOB, BOB_PASSWORD).statusCode());
    List<String> adasStream = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (var s = ada.stream("/api/stream", adasStream)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> adasStream.stream().anyMatch(l -> l.contains("ready")));
      AlertView view = app.context.getBean(AlertView.class);
      view.raiseSystemAlert(
          "webhooks:" + tenant + "/ward-1",
          "WEBHOOK_DELIVERY_FAILING",
          Set.of(tenant + "/ward-1"),
          "webhook deliveries of ward-1 have stopped");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> adasStream.stream().anyMatch(l -> l.contains("WEBHOOK_DELIVERY_FAILING")));
      assertTrue(listed(ada, "\"cause\":\"WEBHOOK_DELIVERY_FAILING\""));
      assertTrue(listed(ada, "\"category\":\"TECHNICAL\""));
      assertFalse(listed(bob, "WEBHOOK_DELIVERY_FAILING"), "ward-2 is not concerned");
      view.clearSystemAlert("webhooks:" + tenant + "/ward-1");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> adasStream.stream().anyMatch(l -> l.contains("\"status\":\"RESOLVED\"")));
      assertFalse(listed(ada, "WEBHOOK_DELIVERY_FAILING"), "cleared once it recovers");
    }
  }

  @Test
  void aHighAlertThatClearsUnacknowledgedStaysListedMarkedClearedUntilAcknowledged(TestKafka kafka)
      throws Exception {
    PatientKey patient = PatientKeys.of(tenant, "bed-latch");
    Instant t = Instant.now().minus(Duration.ofHours(4));
    kafka.produce(Topics.PATIENTS_CONTEXT, Map.of(patient, Scores.context(t, "ward-2")));
    kafka.produce(Topics.RISK_SCORES, Map.of(patient, Scores.score(t, 0.2, 8)));
    kafka.produce(Topics.RISK_SCORES, Map.of(patient, Scores.score(t.plusSeconds(3600), 0.2, 2)));
    kafka.produce(Topics.RISK_SCORES, Map.of(patient, Scores.score(t.plusSeconds(7200), 0.2, 2)));
    Browserless bob = new Browserless(app.base);
    assertEquals(200, bob.login(BOB, BOB_PASSWORD).statusCode());
    String key = PatientKeys.format(patient);
    io.micronaut.json.JsonMapper json = app.context.getBean(io.micronaut.json.JsonMapper.class);
    Map<String, Object> alert =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  var cards =
                      json.readValue(
                          bob.get("/api/alerts").body(),
                          io.micronaut.core.type.Argument.listOf(
                              io.micronaut.core.type.Argument.mapOf(String.class, Object.class)));
                  return cards.stream()
                      .map(c -> (Map<String, Object>) c.get("alert"))
                      .filter(a -> key.equals(a.get("patient")))
                      .findFirst()
                      .orElse(Map.of());
                },
                a -> Boolean.TRUE.equals(a.get("cleared")));
    assertEquals("NEWS2_HIGH", alert.get("cause"));
    assertTrue(alert.get("lastNote").toString().contains("latched until acknowledged"));
    String id = (String) alert.get("alertId");
    assertEquals(202, bob.post("/api/alerts/" + id + "/acknowledge").statusCode());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !bob.get("/api/alerts").body().contains(key));
    String history = bob.get("/api/alerts/" + id).body();
    assertTrue(history.contains("\"type\":\"ACKNOWLEDGED\""), history);
    assertTrue(history.contains("acknowledged after its condition had cleared"), history);
  }
}
