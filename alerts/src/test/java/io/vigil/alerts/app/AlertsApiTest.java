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
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.StrictErrorHandler;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.vigil.alerts.Scores;
import io.vigil.alerts.delivery.WebhookSigner;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.RiskAssessment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The running service against a real broker: nurse login, care-team authorisation, CSRF, actions
 * through Kafka, FHIR, webhooks (signed, dead-lettered into a DELIVERY_FAILED alert), metrics.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertsApiTest {
  private static final String HOOK_SECRET = "ward-1-hook-secret-0123";
  private AlertsApp app;
  private WebhookReceiver ward1Hook;
  private WebhookReceiver ward2Hook;
  private JsonMapper json;
  private final String tenant = TestKafka.unique("api");
  private final PatientKey adaPatient = PatientKeys.of(tenant, "p-ward1");
  private final PatientKey bobPatient = PatientKeys.of(tenant, "p-ward2");

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    ward1Hook = new WebhookReceiver(call -> 200);
    ward2Hook = new WebhookReceiver(call -> 500);
    app =
        AlertsApp.start(
            kafka,
            tenant,
            Map.of(
                "vigil.alerts.tenants." + tenant + ".teams.ward-1.webhook.url",
                ward1Hook.url(),
                "vigil.alerts.tenants." + tenant + ".teams.ward-1.webhook.secret",
                HOOK_SECRET,
                "vigil.alerts.tenants." + tenant + ".teams.ward-2.webhook.url",
                ward2Hook.url(),
                "vigil.alerts.tenants." + tenant + ".teams.ward-2.webhook.secret",
                "ward-2-hook-secret-0123",
                "vigil.alerts.webhook.max-attempts",
                2,
                "vigil.alerts.webhook.initial-backoff",
                "50ms"));
    json = app.context.getBean(JsonMapper.class);
    await().atMost(Duration.ofSeconds(60)).until(() -> healthy());
    Instant t = Instant.now().minus(Duration.ofMinutes(30));
    app.awaitLifecycleCaughtUp(kafka);
    kafka.produce(
        Topics.PATIENTS_CONTEXT,
        Map.of(adaPatient, Scores.context(t, "ward-1"), bobPatient, Scores.context(t, "ward-2")));
    // Context first, so the score is routed by it and each team's webhook gets the alert from
    // RAISED on.
    app.awaitLifecycleCaughtUp(kafka);
    kafka.produce(
        Topics.RISK_SCORES,
        Map.of(
            adaPatient, Scores.score(t.plusSeconds(60), 0.3, 8),
            bobPatient, Scores.score(t.plusSeconds(60), 0.3, 8)));
  }

  @AfterAll
  void stop() {
    app.close();
    ward1Hook.close();
    ward2Hook.close();
  }

  private boolean healthy() throws Exception {
    return new Browserless(app.base).get("/health").statusCode() == 200;
  }

  private List<Map<String, Object>> alerts(Browserless nurse) throws Exception {
    HttpResponse<String> r = nurse.get("/api/alerts");
    assertEquals(200, r.statusCode(), r.body());
    return json.readValue(r.body(), Argument.listOf(Argument.mapOf(String.class, Object.class)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> alertOf(Map<String, Object> card) {
    return (Map<String, Object>) card.get("alert");
  }

  private Optional<Map<String, Object>> firstAlert(Browserless nurse, String patient, String cause)
      throws Exception {
    return alerts(nurse).stream()
        .map(AlertsApiTest::alertOf)
        .filter(a -> patient.equals(a.get("patient")) && cause.equals(a.get("cause")))
        .findFirst();
  }

  private Map<String, Object> awaitAlert(Browserless nurse, String patient, String cause) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> firstAlert(nurse, patient, cause), Optional::isPresent)
        .get();
  }

  /**
   * A FHIR answer parsed by HAPI's R4 structures, strictly: an unknown element, a wrong type or a
   * code outside its required value set fails here.
   */
  private static Bundle strictlyParsed(String body) {
    return FhirContext.forR4Cached()
        .newJsonParser()
        .setParserErrorHandler(new StrictErrorHandler())
        .parseResource(Bundle.class, body);
  }

  @Test
  @Order(1)
  void shouldRefuseAnonymousAndWrongPasswords() throws Exception {
    Browserless anonymous = new Browserless(app.base);
    assertEquals(401, anonymous.get("/api/alerts").statusCode());
    assertEquals(401, anonymous.login(ADA, "wrong").statusCode());
    assertEquals(401, anonymous.get("/api/alerts").statusCode());
    assertEquals(200, anonymous.get("/ui/index.html").statusCode(), "the login page is public");
  }

  @Test
  @Order(1)
  void shouldThrottleRepeatedFailedSignInsWithoutLockingOthersOut() throws Exception {
    Browserless guesser = new Browserless(app.base);
    for (int i = 0; i < 5; i++) {
      assertEquals(401, guesser.login(CAROL, "guess-" + i).statusCode(), "guess " + i);
    }
    HttpResponse<String> throttled = guesser.login(CAROL, CAROL_PASSWORD);
    assertEquals(429, throttled.statusCode(), "even the right password waits");
    long retryAfter = Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow());
    assertTrue(retryAfter >= 1 && retryAfter <= 30, "Retry-After " + retryAfter);
    assertTrue(
        throttled.body().contains("\"urn:vigil:problem:login-throttled\""), throttled.body());
    assertEquals(401, guesser.get("/api/alerts").statusCode(), "no session was opened");
    assertEquals(
        200,
        new Browserless(app.base).login(ADA, ADA_PASSWORD).statusCode(),
        "other nurses sign in as usual");
  }

  @Test
  @Order(2)
  void shouldShowEachNurseOnlyTheAlertsOfTheirCareTeams() throws Exception {
    Browserless ada = new Browserless(app.base);
    assertEquals(200, ada.login(ADA, ADA_PASSWORD).statusCode());
    Map<String, Object> mine = awaitAlert(ada, PatientKeys.format(adaPatient), "NEWS2_HIGH");
    assertEquals("ward-1", mine.get("careTeam"));
    assertEquals("HIGH", mine.get("priority"));

    Browserless bob = new Browserless(app.base);
    assertEquals(200, bob.login(BOB, BOB_PASSWORD).statusCode());
    Map<String, Object> bobs = awaitAlert(bob, PatientKeys.format(bobPatient), "NEWS2_HIGH");
    String bobsId = (String) bobs.get("alertId");

    assertTrue(
        alerts(ada).stream()
            .map(AlertsApiTest::alertOf)
            .noneMatch(a -> "ward-2".equals(a.get("careTeam"))),
        "ward-2 alerts never reach a ward-1 nurse");
    HttpResponse<String> peek = ada.get("/api/alerts/" + bobsId);
    assertEquals(403, peek.statusCode());
    assertTrue(peek.body().contains("not-your-care-team"), peek.body());
    assertEquals(403, ada.post("/api/alerts/" + bobsId + "/acknowledge").statusCode());
    assertEquals(403, ada.post("/api/alerts/" + bobsId + "/resolve").statusCode());
    assertEquals(403, ada.get("/api/alerts/" + bobsId + "/fhir").statusCode());
    assertEquals(404, ada.get("/api/alerts/no-such-alert").statusCode());
  }

  @Test
  @Order(3)
  void shouldRequireTheCsrfTokenThenAcknowledgeThroughKafka() throws Exception {
    Browserless ada = new Browserless(app.base);
    ada.login(ADA, ADA_PASSWORD);
    Map<String, Object> alert = awaitAlert(ada, PatientKeys.format(adaPatient), "NEWS2_HIGH");
    String id = (String) alert.get("alertId");

    HttpResponse<String> forged = ada.post("/api/alerts/" + id + "/acknowledge", false);
    assertEquals(403, forged.statusCode());
    assertTrue(forged.body().contains("csrf"), forged.body());

    assertEquals(202, ada.post("/api/alerts/" + id + "/acknowledge").statusCode());
    Map<String, Object> acked =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> firstAlert(ada, PatientKeys.format(adaPatient), "NEWS2_HIGH").orElseThrow(),
                a -> "ACKNOWLEDGED".equals(a.get("status")));
    assertEquals(ADA, acked.get("acknowledgedBy"));
    HttpResponse<String> again = ada.post("/api/alerts/" + id + "/acknowledge");
    assertEquals(409, again.statusCode(), "acknowledged once");

    String detail = ada.get("/api/alerts/" + id).body();
    assertTrue(detail.contains("\"type\":\"RAISED\""), detail);
    assertTrue(detail.contains("\"type\":\"NOTIFIED\""), detail);
    assertTrue(detail.contains("\"type\":\"ACKNOWLEDGED\""), detail);
    assertTrue(detail.contains("\"actor\":\"ada\""), detail);

    HttpResponse<String> fhir = ada.get("/api/alerts/" + id + "/fhir");
    assertEquals(200, fhir.statusCode(), fhir.body());
    assertEquals("application/fhir+json", fhir.headers().firstValue("Content-Type").orElse(""));
    Bundle bundle = strictlyParsed(fhir.body());
    Flag flag = (Flag) bundle.getEntry().get(0).getResource();
    assertEquals(Flag.FlagStatus.ACTIVE, flag.getStatus());
    assertEquals("NEWS2_HIGH", flag.getCode().getCodingFirstRep().getCode());
    assertEquals(PatientKeys.format(adaPatient), flag.getSubject().getIdentifier().getValue());
    RiskAssessment risk = (RiskAssessment) bundle.getEntry().get(1).getResource();
    assertEquals(PatientKeys.format(adaPatient), risk.getSubject().getIdentifier().getValue());
    double probability =
        risk.getPredictionFirstRep().getProbabilityDecimalType().getValueAsNumber().doubleValue();
    assertTrue(probability >= 0 && probability <= 1, "probability " + probability);

    assertEquals(202, ada.post("/api/alerts/" + id + "/resolve").statusCode());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> firstAlert(ada, PatientKeys.format(adaPatient), "NEWS2_HIGH").isEmpty());
  }

  @Test
  @Order(4)
  void shouldDeliverSignedWebhooksCarryingOnlyThePatientKey() {
    WebhookReceiver.Received raised =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    ward1Hook.received.stream()
                        .filter(r -> r.body().contains(PatientKeys.format(adaPatient)))
                        .filter(r -> "RAISED".equals(r.header("X-Vigil-Event")))
                        .findFirst(),
                Optional::isPresent)
            .get();
    String signature = raised.header(WebhookSigner.HEADER);
    String t = signature.substring(2, signature.indexOf(','));
    assertEquals(
        "t=" + t + ",v1=" + WebhookSigner.hmacHex(HOOK_SECRET, t + "." + raised.body()), signature);
    assertTrue(raised.header("Idempotency-Key").endsWith("/1"));
    assertFalse(raised.body().contains("note"));
  }

  @Test
  @Order(5)
  void shouldRaiseDeliveryFailedWhenAWebhookIsDeadLettered() throws Exception {
    Browserless bob = new Browserless(app.base);
    bob.login(BOB, BOB_PASSWORD);
    Map<String, Object> technical =
        awaitAlert(bob, PatientKeys.format(bobPatient), "DELIVERY_FAILED");
    assertEquals("TECHNICAL", technical.get("category"));
    assertEquals("ward-2", technical.get("careTeam"));
    Map<String, Object> clinical = awaitAlert(bob, PatientKeys.format(bobPatient), "NEWS2_HIGH");
    String deliveries = bob.get("/api/alerts/" + clinical.get("alertId") + "/deliveries").body();
    assertTrue(deliveries.contains("DEAD_LETTERED"), deliveries);
    assertTrue(deliveries.contains("HTTP 500"), deliveries);
  }

  @Test
  @Order(6)
  @SuppressWarnings("unchecked")
  void shouldShowThatAnAlertRestsOnLateDataWithTheWindowsOwnTime(TestKafka kafka) throws Exception {
    PatientKey late = PatientKeys.of(tenant, "p-late");
    String key = PatientKeys.format(late);
    Instant t = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
    kafka.produce(Topics.PATIENTS_CONTEXT, Map.of(late, Scores.context(t, "ward-1")));
    app.awaitLifecycleCaughtUp(kafka);
    RiskScore first = Scores.score(t, 0.2, 3);
    kafka.produce(Topics.RISK_SCORES, Map.of(late, first));
    kafka.produce(Topics.RISK_SCORES, Map.of(late, Scores.score(t.plusSeconds(3600), 0.2, 2)));
    // Readings of the first window arrive late: scoring re-scores it, now at NEWS2 8.
    kafka.produce(
        Topics.RISK_SCORES, Map.of(late, Scores.late(Scores.score(t, 0.2, 8), 1, 2, first)));

    Browserless ada = new Browserless(app.base);
    assertEquals(200, ada.login(ADA, ADA_PASSWORD).statusCode());
    Map<String, Object> alert = awaitAlert(ada, key, "NEWS2_HIGH");
    assertEquals(Boolean.TRUE, alert.get("lateData"), alert.toString());
    assertEquals(t, Instant.parse((String) alert.get("lateWindowEnd")), alert.toString());
    assertEquals(t, Instant.parse((String) alert.get("windowEnd")), "the window's own end");
    assertEquals(1, ((Number) alert.get("lateRevision")).intValue());
    assertEquals(2, ((Number) alert.get("lateReadings")).intValue());
    Map<String, Object> risk =
        alerts(ada).stream()
            .filter(c -> key.equals(alertOf(c).get("patient")))
            .map(c -> (Map<String, Object>) c.get("risk"))
            .findFirst()
            .orElseThrow();
    assertEquals(2, ((Number) risk.get("news2Total")).intValue(), "numbers: the newest window");
    assertEquals(t.plusSeconds(3600), Instant.parse((String) risk.get("windowEnd")));

    String id = (String) alert.get("alertId");
    Bundle bundle = strictlyParsed(ada.get("/api/alerts/" + id + "/fhir").body());
    String flagText = ((Flag) bundle.getEntry().get(0).getResource()).getCode().getText();
    assertTrue(flagText.contains("based on late data"), flagText);
    assertTrue(flagText.contains(t.toString()), flagText);

    WebhookReceiver.Received raised =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    ward1Hook.received.stream()
                        .filter(r -> r.body().contains(key))
                        .filter(r -> "RAISED".equals(r.header("X-Vigil-Event")))
                        .findFirst(),
                Optional::isPresent)
            .get();
    assertTrue(raised.body().contains("\"lateData\":true"), raised.body());
    assertTrue(raised.body().contains("\"windowEnd\":\"" + t + "\""), raised.body());
  }

  @Test
  @Order(7)
  void shouldExposeMetricsAndHealth() throws Exception {
    Browserless anyone = new Browserless(app.base);
    String metrics = anyone.get("/metrics").body();
    assertTrue(metrics.contains("vigil_alerts_raised_total{"), metrics);
    assertTrue(metrics.contains("cause=\"NEWS2_HIGH\""), metrics);
    assertTrue(metrics.contains("vigil_alerts_open{priority=\"HIGH\"}"), metrics);
    assertTrue(metrics.contains("vigil_alerts_time_to_acknowledge_seconds_bucket"), metrics);
    assertTrue(
        metrics.contains("vigil_alerts_webhook_deliveries_total{outcome=\"dead_lettered\"}"));
    assertTrue(metrics.contains("vigil_alerts_webhook_deliveries_total{outcome=\"delivered\"}"));
    assertTrue(metrics.contains("jvm_memory_used_bytes"));
    assertTrue(
        metrics.contains("vigil_alerts_sign_ins_total{outcome=\"throttled\"} 1.0"),
        "the throttled sign-in is counted: " + metrics);
    assertTrue(metrics.contains("vigil_alerts_sign_ins_total{outcome=\"success\"}"));
    assertFalse(metrics.contains(tenant), "no patient in metric labels");
    HttpResponse<String> health = anyone.get("/health");
    assertEquals(200, health.statusCode());
    assertTrue(health.body().contains("\"status\":\"UP\""));
  }
}
