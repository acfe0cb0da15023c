package io.vigil.alerts.app;

import static io.vigil.alerts.app.AlertsApp.ADA;
import static io.vigil.alerts.app.AlertsApp.ADA_PASSWORD;
import static io.vigil.alerts.app.AlertsApp.BOB;
import static io.vigil.alerts.app.AlertsApp.BOB_PASSWORD;
import static io.vigil.alerts.app.AlertsApp.CAROL;
import static io.vigil.alerts.app.AlertsApp.CAROL_PASSWORD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.alerts.audit.ReadAudit;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.audit.AuditEvent;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.io.Closeable;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What a security reviewer reads on {@code audit.reads} after nurses used the service on a real
 * broker, and what a nurse with too many tabs open is told.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadAuditTest {
  private static final Pattern ALERT_ID = Pattern.compile("\"alertId\":\"([^\"]+)\"");
  private static final double LSTM_RISK = 0.8765;
  private final String tenant = TestKafka.unique("audit");
  private final PatientKey patient = PatientKeys.of(tenant, "p-audited");
  private AlertsApp app;
  private TestKafka kafka;

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    this.kafka = kafka;
    app = AlertsApp.start(kafka, tenant, Map.of("vigil.alerts.live.max-streams-per-user", 2));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> new Browserless(app.base).get("/health").statusCode() == 200);
    Instant t = Instant.now().minus(Duration.ofMinutes(30));
    kafka.produce(Topics.PATIENTS_CONTEXT, Map.of(patient, Scores.context(t, "ward-1")));
    kafka.produce(
        Topics.RISK_SCORES, Map.of(patient, Scores.score(t.plusSeconds(60), LSTM_RISK, 8)));
  }

  @AfterAll
  void stop() {
    app.close();
  }

  @Test
  @Order(1)
  void shouldWriteOneAuditRecordPerReadOfPatientDataWithoutVitalValues() throws Exception {
    Browserless carol = new Browserless(app.base);
    assertEquals(200, carol.login(CAROL, CAROL_PASSWORD).statusCode());
    String alertId =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  Matcher m = ALERT_ID.matcher(carol.get("/api/alerts").body());
                  return m.find() ? m.group(1) : null;
                },
                id -> id != null);
    Instant before = Instant.now();
    Browserless ada = new Browserless(app.base);
    assertEquals(200, ada.login(ADA, ADA_PASSWORD).statusCode());
    HttpResponse<String> adasList = ada.get("/api/alerts");
    assertEquals(200, adasList.statusCode());
    int listed =
        app.context
            .getBean(io.micronaut.json.JsonMapper.class)
            .readValue(adasList.body(), io.micronaut.core.type.Argument.listOf(Map.class))
            .size();
    assertTrue(listed >= 1, adasList.body());
    assertEquals(200, ada.get("/api/alerts/" + alertId).statusCode());
    assertEquals(200, ada.get("/api/alerts/" + alertId + "/fhir").statusCode());
    HttpResponse<String> deliveries = ada.get("/api/alerts/" + alertId + "/deliveries");
    assertEquals(200, deliveries.statusCode(), deliveries.body());
    List<String> lines = new CopyOnWriteArrayList<>();
    try (Closeable stream = ada.stream("/api/stream", lines)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("event: ready"));
    }
    Browserless bob = new Browserless(app.base);
    assertEquals(200, bob.login(BOB, BOB_PASSWORD).statusCode());
    assertEquals(403, bob.get("/api/alerts/" + alertId).statusCode());
    assertEquals(404, bob.get("/api/alerts/no-such-alert").statusCode());

    // Everything the two nurses did is acknowledged before each answer; wait a little for strays.
    List<ConsumerRecord<PatientKey, AuditEvent>> records =
        kafka.consume(
            Topics.AUDIT_READS,
            Integer.MAX_VALUE,
            Duration.ofSeconds(6),
            r ->
                r.value().getTenant().equals(tenant)
                    && List.of(ADA, BOB).contains(r.value().getActor()));
    Map<String, List<AuditEvent>> ada2 =
        records.stream()
            .map(ConsumerRecord::value)
            .filter(e -> e.getActor().equals(ADA))
            .collect(Collectors.groupingBy(AuditEvent::getAction));
    assertEquals(
        List.of(
                ReadAudit.DELIVERIES,
                ReadAudit.DETAIL,
                ReadAudit.FHIR,
                ReadAudit.LIST,
                ReadAudit.STREAM)
            .stream()
            .sorted()
            .toList(),
        ada2.keySet().stream().sorted().toList(),
        "one kind of record per kind of read: " + records);
    ada2.forEach((action, events) -> assertEquals(1, events.size(), action + ": " + events));

    AuditEvent list = ada2.get(ReadAudit.LIST).get(0);
    assertEquals(ReadAudit.SCOPE, list.getPatientId(), "the scope read: the team's list");
    assertEquals("teams=ward-1", list.getQuery());
    assertEquals(listed, list.getRecords(), "as many alerts as the list showed");
    AuditEvent stream = ada2.get(ReadAudit.STREAM).get(0);
    assertEquals(ReadAudit.SCOPE, stream.getPatientId());
    assertEquals("teams=ward-1", stream.getQuery());
    for (String action : List.of(ReadAudit.DETAIL, ReadAudit.FHIR, ReadAudit.DELIVERIES)) {
      AuditEvent e = ada2.get(action).get(0);
      assertEquals(patient.getPatientId(), e.getPatientId(), action);
      assertEquals("alertId=" + alertId, e.getQuery(), action);
    }
    assertEquals(1, ada2.get(ReadAudit.DETAIL).get(0).getRecords());
    assertEquals(2, ada2.get(ReadAudit.FHIR).get(0).getRecords(), "Flag and RiskAssessment");

    for (ConsumerRecord<PatientKey, AuditEvent> r : records) {
      AuditEvent e = r.value();
      assertEquals("alerts", e.getService());
      assertEquals("USER", e.getActorKind());
      assertEquals(tenant, e.getActorTenant());
      assertEquals(tenant, r.key().getTenant(), "keyed by the patient (or scope) read");
      assertEquals(e.getPatientId(), r.key().getPatientId());
      assertFalse(e.getTime().isBefore(before.minusSeconds(1)), e.toString());
      assertFalse(e.getTime().isAfter(Instant.now()), e.toString());
      assertEquals("127.0.0.1", e.getRemoteAddress());
      assertNotNull(e.getEventId());
      String all = e.toString();
      assertFalse(all.contains("8765"), "no LSTM risk in the audit trail: " + all);
      assertFalse(all.toLowerCase(java.util.Locale.ROOT).contains("news2"), all);
      assertFalse(all.contains(ADA_PASSWORD) || all.contains(BOB_PASSWORD), all);
    }

    List<AuditEvent> bobs =
        records.stream().map(ConsumerRecord::value).filter(e -> e.getActor().equals(BOB)).toList();
    assertEquals(2, bobs.size(), bobs.toString());
    AuditEvent refused =
        bobs.stream().filter(e -> "FORBIDDEN".equals(e.getOutcome())).findFirst().orElseThrow();
    assertEquals(ReadAudit.DETAIL, refused.getAction());
    assertEquals(patient.getPatientId(), refused.getPatientId(), "who was nearly read");
    assertEquals(0, refused.getRecords());
    AuditEvent missing =
        bobs.stream().filter(e -> "NOT_FOUND".equals(e.getOutcome())).findFirst().orElseThrow();
    assertEquals(ReadAudit.UNKNOWN_PATIENT, missing.getPatientId());
    assertEquals("alertId=no-such-alert", missing.getQuery());
    assertTrue(
        ada2.values().stream()
            .flatMap(List::stream)
            .allMatch(e -> "SERVED".equals(e.getOutcome())));
  }

  @Test
  @Order(2)
  void shouldAnswer429WithRetryAfterToOneLiveStreamTooManyAndAdmitOneOnceAnotherCloses()
      throws Exception {
    Browserless carol = new Browserless(app.base);
    assertEquals(200, carol.login(CAROL, CAROL_PASSWORD).statusCode());
    List<Closeable> open = new ArrayList<>();
    try {
      for (int i = 0; i < 2; i++) {
        open.add(carol.stream("/api/stream", new CopyOnWriteArrayList<>()));
      }
      HttpResponse<String> refused = carol.get("/api/stream");
      assertEquals(429, refused.statusCode(), refused.body());
      assertEquals("30", refused.headers().firstValue("Retry-After").orElse(null));
      assertTrue(
          refused
              .headers()
              .firstValue("Content-Type")
              .orElse("")
              .startsWith("application/problem+json"),
          refused.headers().toString());
      assertTrue(refused.body().contains("too-many-streams"), refused.body());

      Browserless ada = new Browserless(app.base);
      assertEquals(200, ada.login(ADA, ADA_PASSWORD).statusCode());
      open.add(ada.stream("/api/stream", new CopyOnWriteArrayList<>()));

      open.remove(0).close();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                try {
                  open.add(carol.stream("/api/stream", new CopyOnWriteArrayList<>()));
                  return true;
                } catch (java.io.IOException refusedAgain) {
                  return false;
                }
              });
    } finally {
      for (Closeable c : open) {
        c.close();
      }
    }
  }
}
