package io.vigil.scoring.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.schemas.access.Scope;
import io.vigil.schemas.audit.AuditEvent;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.testing.SampleRecords;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The service against a real broker: readings measured 30 days ago (older than the 7-day retention
 * of vitals.observations) are scored and served over HTTP, with health and metrics.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoringServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final String tenant = TestKafka.unique("svc");
  private final Instant start =
      Instant.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.HOURS);
  private final String lateTenant = TestKafka.unique("late");
  private ScoringInstance service;
  private Path home;
  private String readKey;
  private String lateReadKey;

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    home = Files.createTempDirectory("scoring-home");
    readKey = ScoringInstance.addKey(home, tenant, Set.of(Scope.READ));
    lateReadKey = ScoringInstance.addKey(home, lateTenant, Set.of(Scope.READ));
    Map<String, String> env = new HashMap<>();
    env.put("VIGIL_HOME", home.toString());
    env.put("VIGIL_JWT_SECRET", ScoringInstance.SESSION_SECRET);
    env.put("SCORING_METRICS_TENANT_LABELS", "true");
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("PORT", "0");
    env.put("SCORING_APPLICATION_ID", TestKafka.unique("scoring-svc"));
    env.put("SCORING_STATE_DIR", Files.createTempDirectory("scoring-svc").toString());
    env.put("KAFKA_STREAMS_COMMIT_INTERVAL_MS", "100");
    // Window ends on the hour, so the test can name them (the phase has tests of its own).
    env.put("SCORING_WINDOW_PHASE", "aligned");
    service = ScoringInstance.start(env, TestModels.untrained(3));
  }

  @AfterAll
  void stop() {
    if (service != null) {
      service.close();
    }
  }

  @Test
  void shouldScoreReadingsOlderThanTopicRetentionAndServeThemOverHttp(TestKafka kafka)
      throws Exception {
    assertTrue(
        Duration.between(start, Instant.now()).toMillis()
            > Topics.VITALS_OBSERVATIONS.retentionMs(),
        "readings are older than the topic's retention");
    PatientKey patient = new PatientKey(tenant, "old-stay");
    try (var producer = kafka.producer(Topics.VITALS_OBSERVATIONS)) {
      // 6 hours of readings: windows ending at hours 1..5 are due (6:00 + grace not reached).
      Readings.send(producer, List.of(patient), start, 0, 6 * 60 + 1);
    }
    List<ConsumerRecord<PatientKey, RiskScore>> scores =
        kafka.consume(
            Topics.RISK_SCORES,
            5,
            Duration.ofSeconds(90),
            r -> r.key() != null && tenant.equals(r.key().getTenant()));
    assertEquals(5, scores.size());
    assertEquals(start.plus(Duration.ofHours(1)), scores.get(0).value().getWindowEnd());

    String base = "http://127.0.0.1:" + service.port();
    String from = start.plus(Duration.ofHours(2)).toString();
    String to = start.plus(Duration.ofHours(4)).toString();
    JsonNode body =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    get(
                        readKey,
                        base
                            + "/api/patients/"
                            + tenant
                            + "/old-stay/risk?from="
                            + from
                            + "&to="
                            + to),
                r -> r.statusCode() == 200 && parse(r.body()).get("scores").size() == 2)
            .body()
            .transform(ScoringServiceTest::parse);
    JsonNode first = body.get("scores").get(0);
    assertEquals(start.plus(Duration.ofHours(2)).toString(), first.get("windowEnd").asText());
    assertEquals(start.minus(Duration.ofHours(1)).toString(), first.get("windowStart").asText());
    assertTrue(first.get("lstmRisk").asDouble() >= 0);
    assertEquals("untrained-w3-seed7", first.get("modelVersion").asText());
    assertTrue(first.get("news2").get("missing").toString().contains("RESPIRATION_RATE"));
    assertEquals(7, first.get("completeness").size());
    assertTrue(first.get("news2").get("subScores").has("pulse"));

    HttpResponse<String> bad =
        get(readKey, base + "/api/patients/" + tenant + "/old-stay/risk?from=yesterday");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("ISO-8601"), bad.body());
    assertEquals("application/problem+json", bad.headers().firstValue("Content-Type").orElse(""));

    HttpResponse<String> health = get(null, base + "/health");
    assertEquals(200, health.statusCode());
    assertTrue(health.body().contains("\"RUNNING\""), health.body());
    HttpResponse<String> readiness = get(null, base + "/health/readiness");
    assertEquals(200, readiness.statusCode(), readiness.body());
    assertTrue(readiness.body().contains("\"RUNNING\""), readiness.body());
    assertTrue(readiness.body().contains("threadsReplacedRecently"), readiness.body());
    HttpResponse<String> liveness = get(null, base + "/health/liveness");
    assertEquals(200, liveness.statusCode(), liveness.body());

    HttpResponse<String> metrics = get(null, base + "/metrics");
    assertEquals(200, metrics.statusCode());
    for (String name :
        List.of(
            "vigil_scoring_windows_scored_total",
            "vigil_scoring_records_in_total",
            "vigil_scoring_inference_seconds_bucket",
            "vigil_scoring_emit_lag_seconds_bucket",
            "vigil_scoring_batch_windows_bucket",
            "vigil_scoring_due_windows",
            "kafka_streams_stream_thread_metrics",
            "jvm_memory_used_bytes")) {
      assertTrue(metrics.body().contains(name), name + " missing from /metrics");
    }
    assertTrue(!metrics.body().contains("old-stay"), "no patient id in metrics");
  }

  @Test
  void shouldServeTheLatestRevisionOfAWindowAndItsHistoryAfterALateReading(TestKafka kafka)
      throws Exception {
    String tenant = lateTenant;
    PatientKey patient = new PatientKey(tenant, "late-stay");
    Instant t0 = start.plus(Duration.ofDays(1));
    try (var producer = kafka.producer(Topics.VITALS_OBSERVATIONS)) {
      Readings.send(producer, List.of(patient), t0, 0, 6 * 60 + 1);
    }
    kafka.consume(
        Topics.RISK_SCORES,
        5,
        Duration.ofSeconds(90),
        r -> r.key() != null && r.key().equals(patient));
    // A phone syncs a reading from 2:58 after windows through 6:00 were scored: the windows
    // ending 3:00, 4:00 and 5:00 (3-hour windows) hold it.
    try (var producer = kafka.producer(Topics.VITALS_OBSERVATIONS)) {
      producer
          .send(
              new org.apache.kafka.clients.producer.ProducerRecord<>(
                  Topics.VITALS_OBSERVATIONS.name(),
                  patient,
                  Readings.of(
                      "late-hr",
                      io.vigil.schemas.Vital.HEART_RATE,
                      140,
                      t0.plus(Duration.ofMinutes(178)))))
          .get();
    }
    List<ConsumerRecord<PatientKey, RiskScore>> revised =
        kafka.consume(
            Topics.RISK_SCORES,
            3,
            Duration.ofSeconds(60),
            r -> r.key() != null && r.key().equals(patient) && r.value().getRevision() == 1);
    assertEquals(
        List.of(
            t0.plus(Duration.ofHours(3)),
            t0.plus(Duration.ofHours(4)),
            t0.plus(Duration.ofHours(5))),
        revised.stream().map(r -> r.value().getWindowEnd()).sorted().toList());

    String url =
        "http://127.0.0.1:"
            + service.port()
            + "/api/patients/"
            + tenant
            + "/late-stay/risk?from="
            + t0.plus(Duration.ofHours(3))
            + "&to="
            + t0.plus(Duration.ofHours(4));
    JsonNode latest = parse(get(lateReadKey, url).body()).get("scores");
    assertEquals(1, latest.size());
    assertEquals(1, latest.get(0).get("revision").asInt());
    assertEquals(1, latest.get(0).get("lateReadings").asInt());
    assertEquals("heart_rate", latest.get(0).get("lateVitals").get(0).asText());
    assertEquals(3, latest.get(0).get("news2").get("subScores").get("pulse").asInt(), "HR 140");
    assertTrue(latest.get(0).get("earlierRevisions") == null, "history only when asked");

    JsonNode history = parse(get(lateReadKey, url + "&revisions=true").body()).get("scores").get(0);
    assertEquals(1, history.get("earlierRevisions").size());
    JsonNode first = history.get("earlierRevisions").get(0);
    assertEquals(0, first.get("revision").asInt());
    assertEquals(
        first.get("news2").get("total").asInt(), history.get("previousNews2Total").asInt());

    HttpResponse<String> bad = get(lateReadKey, url + "&revisions=maybe");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("revisions must be true or false"), bad.body());

    String metrics = get(null, "http://127.0.0.1:" + service.port() + "/metrics").body();
    assertTrue(
        metrics.contains(
            "vigil_scoring_late_readings_total{outcome=\"accepted\",tenant=\""
                + tenant
                + "\"} 1.0"),
        metrics);
    assertTrue(
        metrics.contains("vigil_scoring_revisions_total{tenant=\"" + tenant + "\"} 3.0"), metrics);
  }

  @Test
  void shouldServeOnlyCredentialsBoundToThePatientsTenantAndCareTeamAndAuditEveryRead(
      TestKafka kafka) throws Exception {
    String acc = TestKafka.unique("acc");
    PatientKey patient = new PatientKey(acc, "p-1");
    String accKey = ScoringInstance.addKey(home, acc, Set.of(Scope.READ));
    String writeOnly = ScoringInstance.addKey(home, acc, Set.of(Scope.WRITE));
    String otherTenant =
        ScoringInstance.addKey(home, TestKafka.unique("other"), Set.of(Scope.READ));
    try (var producer = kafka.producer(Topics.PATIENTS_CONTEXT)) {
      PatientContext context = SampleRecords.context();
      context.setCareTeams(List.of("ward-1"));
      producer
          .send(
              new org.apache.kafka.clients.producer.ProducerRecord<>(
                  Topics.PATIENTS_CONTEXT.name(), patient, context))
          .get();
    }
    Instant t0 = start.plus(Duration.ofDays(2));
    try (var producer = kafka.producer(Topics.VITALS_OBSERVATIONS)) {
      Readings.send(producer, List.of(patient), t0, 0, 3 * 60 + 1);
    }
    String base = "http://127.0.0.1:" + service.port();
    String url = base + "/api/patients/" + acc + "/p-1/risk";
    HttpResponse<String> served =
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> get(accKey, url),
                r -> r.statusCode() == 200 && parse(r.body()).get("scores").size() >= 1);
    int scores = parse(served.body()).get("scores").size();

    HttpResponse<String> anonymous = get(null, url);
    assertEquals(401, anonymous.statusCode());
    assertEquals(
        "application/problem+json", anonymous.headers().firstValue("Content-Type").orElse(""));
    assertEquals(401, get("vk_nothing_here", url).statusCode(), "an unknown key");
    HttpResponse<String> forwardedClaim =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).header("X-Vigil-Forwarded", "1").build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, forwardedClaim.statusCode(), "claiming to be forwarded grants nothing");

    HttpResponse<String> noRead = get(writeOnly, url);
    assertEquals(403, noRead.statusCode(), noRead.body());
    assertTrue(noRead.body().contains("insufficient-scope"), noRead.body());

    HttpResponse<String> wrongTenant = get(otherTenant, url);
    HttpResponse<String> missing = get(accKey, base + "/api/patients/" + acc + "/nobody/risk");
    HttpResponse<String> missingOther =
        get(otherTenant, base + "/api/patients/" + acc + "/nobody/risk");
    assertEquals(404, wrongTenant.statusCode());
    assertEquals(404, missing.statusCode());
    assertEquals(missing.body(), wrongTenant.body(), "another tenant's patient = a missing one");
    assertEquals(missing.body(), missingOther.body());
    assertEquals(
        missing.headers().firstValue("Content-Type"),
        wrongTenant.headers().firstValue("Content-Type"));

    String nurse = ScoringInstance.nurseToken("nina", acc, List.of("ward-1"));
    HttpResponse<String> ofTeam = get(nurse, url);
    assertEquals(200, ofTeam.statusCode(), ofTeam.body());
    HttpResponse<String> otherTeam =
        get(ScoringInstance.nurseToken("olga", acc, List.of("ward-2")), url);
    assertEquals(404, otherTeam.statusCode());
    assertEquals(missing.body(), otherTeam.body());
    HttpResponse<String> sameTeamNameOtherTenant =
        get(ScoringInstance.nurseToken("pia", TestKafka.unique("t2"), List.of("ward-1")), url);
    assertEquals(404, sameTeamNameOtherTenant.statusCode());
    String forged =
        nurse.substring(0, nurse.lastIndexOf('.') + 1)
            + "AAAA"
            + nurse.substring(nurse.length() - 4);
    assertEquals(401, get(forged, url).statusCode(), "a token with a wrong signature");

    // One audit record per answered read, none with a score or vital value or a credential.
    List<ConsumerRecord<PatientKey, AuditEvent>> audit =
        kafka.consume(
            Topics.AUDIT_READS,
            7,
            Duration.ofSeconds(30),
            r -> r.key() != null && r.key().getTenant().equals(acc));
    assertTrue(audit.size() >= 7, "audit records: " + audit.size());
    AuditEvent first =
        audit.stream()
            .filter(r -> r.value().getOutcome().equals("SERVED"))
            .findFirst()
            .orElseThrow()
            .value();
    assertEquals("API_KEY", first.getActorKind());
    assertEquals(accKey.split("_")[1], first.getActor());
    assertEquals("test-source", first.getActorSource());
    assertEquals(acc, first.getActorTenant());
    assertEquals("p-1", first.getPatientId());
    assertEquals("risk.scores.read", first.getAction());
    assertTrue(
        audit.stream()
            .anyMatch(
                r ->
                    r.value().getActorKind().equals("API_KEY") && r.value().getRecords() == scores),
        "a served read counts the scores returned");
    assertTrue(
        audit.stream()
            .anyMatch(
                r ->
                    r.value().getActorKind().equals("USER")
                        && r.value().getActor().equals("nina")
                        && r.value().getOutcome().equals("SERVED")));
    assertTrue(
        audit.stream()
            .anyMatch(
                r ->
                    r.value().getActor().equals("olga")
                        && r.value().getOutcome().equals("NOT_FOUND")));
    assertTrue(audit.stream().anyMatch(r -> r.value().getOutcome().equals("FORBIDDEN")));
    for (var r : audit) {
      String text = r.value().toString();
      assertTrue(!text.contains("lstmRisk") && !text.contains("news2"), text);
      // vk_<keyId>_<secret>: the secret is everything after the second '_' and may hold '_'.
      assertTrue(!text.contains(accKey.substring(accKey.indexOf('_', 3) + 1)), "no secret");
      assertTrue(!text.contains(ScoringInstance.SESSION_SECRET), "no secret");
    }
  }

  private HttpResponse<String> get(String bearer, String url) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
