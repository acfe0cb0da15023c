package io.vigil.alerts.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.vigil.alerts.Scores;
import io.vigil.alerts.api.AlertCard;
import io.vigil.alerts.api.RiskDetails;
import io.vigil.alerts.api.WardController.PatientHistory;
import io.vigil.alerts.api.WardController.PatientPage;
import io.vigil.alerts.api.WardController.Unavailable;
import io.vigil.alerts.audit.ReadAudit;
import io.vigil.alerts.security.UserStore;
import io.vigil.alerts.streams.AlertsStreams;
import io.vigil.alerts.streams.AlertsStreams.Part;
import io.vigil.alerts.streams.VitalsHistory;
import io.vigil.alerts.ui.Chromium;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.audit.AuditEvent;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The patient view with two alerts instances on a real broker, as the Helm chart runs them: each
 * holds about half of the patients' risk histories and 72 h vitals (two sub-topologies, so the two
 * parts of one patient may be on different instances). A nurse signed in on instance 1 sees every
 * patient's posted values, whichever instance holds them; a nurse of another team is refused by the
 * owner through the forward; with the owner unreachable the page says the history is unavailable
 * instead of showing empty charts, and it comes back once the partitions moved.
 */
@WithKafka
class MultiInstanceHistoryTest {
  private static final int PATIENTS = 10;
  private final String tenant = TestKafka.unique("multi");
  private final List<AlertsApp> apps = new ArrayList<>();
  private ChromeDriver browser;
  private TcpRelay relay;

  @AfterEach
  void stop() throws Exception {
    if (relay != null) {
      relay.close();
    }
    if (browser != null) {
      browser.quit();
    }
    apps.forEach(AlertsApp::close);
  }

  /** An instance advertised at port {@code advertised} (its own port unless relayed). */
  private AlertsApp start(
      TestKafka kafka, Path home, String applicationId, String name, int port, int advertised) {
    Map<String, Object> props = new HashMap<>();
    props.put("micronaut.server.port", port);
    props.put("vigil.alerts.advertised-port", advertised);
    props.put("vigil.alerts.application-id", applicationId);
    props.put("vigil.alerts.state-dir", home.resolve("streams-" + name).toString());
    props.put("vigil.alerts.forward-timeout", "2s");
    AlertsApp app = AlertsApp.start(kafka, home, props);
    apps.add(app);
    return app;
  }

  @Test
  void everyPatientsHistoryFromWhicheverInstanceHoldsIt(TestKafka kafka) throws Exception {
    Path home = Files.createTempDirectory("vigil-home");
    Path users = home.resolve("alerts").resolve("users.properties");
    UserStore.addUser(users, AlertsApp.ADA, AlertsApp.ADA_PASSWORD, List.of(tenant + "/ward-1"));
    UserStore.addUser(users, AlertsApp.BOB, AlertsApp.BOB_PASSWORD, List.of(tenant + "/ward-2"));
    String applicationId = TestKafka.unique("alerts-pair");
    // One users file and one session secret (VIGIL_HOME), as the chart's Secret gives both pods.
    int portOne = AlertsApp.freePort();
    AlertsApp one = start(kafka, home, applicationId, "one", portOne, portOne);
    // Instance 2 is reached through a relay the test can cut while it keeps running.
    int portTwo = AlertsApp.freePort();
    relay = new TcpRelay(AlertsApp.freePort(), portTwo);
    AlertsApp two = start(kafka, home, applicationId, "two", portTwo, relay.port());
    AlertsStreams streamsOne = one.context.getBean(AlertsStreams.class);
    AlertsStreams streamsTwo = two.context.getBean(AlertsStreams.class);

    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant window = now.truncatedTo(ChronoUnit.HOURS);
    Map<PatientKey, RiskScore> earlier = new LinkedHashMap<>();
    Map<PatientKey, RiskScore> latest = new LinkedHashMap<>();
    Map<PatientKey, Double> heartRate = new LinkedHashMap<>();
    Map<PatientKey, io.vigil.schemas.patients.PatientContext> contexts = new HashMap<>();
    for (int i = 0; i < PATIENTS; i++) {
      PatientKey p = PatientKeys.of(tenant, "bed-" + i);
      contexts.put(p, Scores.context(now.minus(Duration.ofHours(3)), "ward-1"));
      earlier.put(p, Scores.score(window.minus(Duration.ofHours(1)), 0.10 + i / 100.0, 1));
      // NEWS2 8: every patient has an open HIGH alert whose card shows this window's evidence.
      latest.put(p, Scores.score(window, 0.30 + i / 100.0, 8));
      heartRate.put(p, 70.0 + i);
    }
    kafka.produce(Topics.PATIENTS_CONTEXT, contexts);
    Thread.sleep(1000);
    try (KafkaProducer<PatientKey, VitalObservation> p =
        kafka.producer(Topics.VITALS_OBSERVATIONS)) {
      heartRate.forEach(
          (patient, hr) -> {
            p.send(Scores.heartRate(patient, hr, now.minus(Duration.ofMinutes(5))));
            p.send(Scores.heartRate(patient, hr + 20, now.minus(Duration.ofMinutes(2))));
          });
      p.flush();
    }
    kafka.produce(Topics.RISK_SCORES, earlier);
    kafka.produce(Topics.RISK_SCORES, latest);

    // Both instances run and split the partitions: each holds some patients' parts. Four Streams
    // clients join two groups, one rebalance after another: 45 s on a quiet machine, longer on
    // a loaded one.
    await()
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                streamsOne.state() == KafkaStreams.State.RUNNING
                    && streamsTwo.state() == KafkaStreams.State.RUNNING
                    && streamsOne.historyState() == KafkaStreams.State.RUNNING
                    && streamsTwo.historyState() == KafkaStreams.State.RUNNING
                    && held(streamsOne, Part.VITALS) > 0
                    && held(streamsOne, Part.VITALS) < PATIENTS
                    && held(streamsOne, Part.RISK) > 0
                    && held(streamsOne, Part.RISK) < PATIENTS);
    PatientKey onTwo =
        latest.keySet().stream()
            .filter(
                p ->
                    streamsOne.locate(Part.VITALS, p) instanceof AlertsStreams.Where.Elsewhere e
                        && e.owner().port() == relay.port())
            .findFirst()
            .orElseThrow();

    Browserless ada = new Browserless(one.base);
    assertEquals(200, ada.login(AlertsApp.ADA, AlertsApp.ADA_PASSWORD).statusCode());
    JsonMapper json = one.context.getBean(JsonMapper.class);
    assertEveryPatientsHistory(ada, json, earlier, latest, heartRate);
    PatientKey riskOnTwo = riskHeldBy(streamsOne, latest.keySet(), false);
    PatientKey riskOnOne = riskHeldBy(streamsOne, latest.keySet(), true);
    // The alert list: every card has its sub-scores, top vitals and trend, whichever instance
    // holds the patient's risk history; so do an alert's detail and its FHIR RiskAssessment.
    assertEveryCardsEvidence(ada, json, earlier, latest);
    AlertCard cardOnTwo = card(cards(ada, json), riskOnTwo);
    Map<?, ?> detail = json.readValue(ada.get(alertPath(cardOnTwo, "")).body(), Map.class);
    assertFalse(detail.containsKey("riskUnavailable"), detail.toString());
    assertEquals(
        RiskDetails.of(List.of(latest.get(riskOnTwo))).news2SubScores(),
        ((Map<?, ?>) detail.get("risk")).get("news2SubScores"));
    HttpResponse<String> fhir = ada.get(alertPath(cardOnTwo, "/fhir"));
    assertEquals(200, fhir.statusCode(), fhir.body());
    assertTrue(
        fhir.body().contains("\"probabilityDecimal\":" + latest.get(riskOnTwo).getLstmRisk()),
        "the owner's newest score in the RiskAssessment: " + fhir.body());

    // The owner answers the part itself, with the caller's credential, and audits it there.
    HttpResponse<String> forwarded = ada.get(historyPath(onTwo, "vitals"));
    assertEquals(200, forwarded.statusCode(), forwarded.body());
    assertHeartRate(
        heartRate.get(onTwo), json.readValue(forwarded.body(), PatientHistory.class).vitalSigns());
    assertTrue(
        historyReads(kafka, AlertsApp.ADA, onTwo).stream()
            .anyMatch(e -> "SERVED".equals(String.valueOf(e.getOutcome()))),
        "the owner recorded Ada's read of the part it served");

    // A nurse of another team: refused on the page, and by the owner through the forward.
    Browserless bob = new Browserless(one.base);
    assertEquals(200, bob.login(AlertsApp.BOB, AlertsApp.BOB_PASSWORD).statusCode());
    assertEquals(403, bob.get(pagePath(onTwo)).statusCode());
    HttpResponse<String> refused = bob.get(historyPath(onTwo, "vitals"));
    assertEquals(403, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("not-your-care-team"), refused.body());
    assertFalse(refused.body().contains("\"hours\""), "no history in the refusal");
    List<AuditEvent> forbidden = historyReads(kafka, AlertsApp.BOB, onTwo);
    assertEquals("FORBIDDEN", String.valueOf(forbidden.get(0).getOutcome()));

    // The owner cannot be reached (its streams still hold the partitions): the page says the
    // history is unavailable, never an empty chart as if nothing was measured.
    relay.close();
    PatientPage page = page(ada, json, onTwo);
    assertTrue(
        unavailable(page).stream().anyMatch(u -> u.part().equals("vitals")),
        "vitals marked unavailable: " + unavailable(page));
    assertTrue(
        unavailable(page).stream()
            .filter(u -> u.part().equals("vitals"))
            .allMatch(u -> u.detail().contains("cannot be reached")),
        page.unavailable().toString());
    // The alert cards of patients held there say their evidence is unavailable, with why; the
    // others keep theirs. The detail says so too; FHIR answers 503 rather than an assessment
    // without its score.
    List<AlertCard> cut = cards(ada, json);
    AlertCard unreachable = card(cut, riskOnTwo);
    assertTrue(
        unreachable.riskUnavailable() != null
            && unreachable.riskUnavailable().contains("cannot be reached"),
        "evidence marked unavailable: " + unreachable.riskUnavailable());
    // (The JSON leaves the empty trend out.)
    assertEquals(null, unreachable.risk().trend(), "no trend drawn as if none was scored");
    AlertCard reachable = card(cut, riskOnOne);
    assertEquals(null, reachable.riskUnavailable());
    assertTrend(earlier.get(riskOnOne), latest.get(riskOnOne), reachable.risk());
    Map<?, ?> cutDetail = json.readValue(ada.get(alertPath(cardOnTwo, "")).body(), Map.class);
    assertTrue(
        String.valueOf(cutDetail.get("riskUnavailable")).contains("cannot be reached"),
        cutDetail.toString());
    HttpResponse<String> cutFhir = ada.get(alertPath(cardOnTwo, "/fhir"));
    assertEquals(503, cutFhir.statusCode(), cutFhir.body());
    assertTrue(cutFhir.body().contains("history-unavailable"), cutFhir.body());
    assertEquals("2", cutFhir.headers().firstValue("Retry-After").orElse(null));
    HttpResponse<String> unavailable = ada.get(historyPath(onTwo, "vitals"));
    assertEquals(503, unavailable.statusCode(), unavailable.body());
    assertTrue(unavailable.body().contains("history-unavailable"), unavailable.body());
    assertEquals("2", unavailable.headers().firstValue("Retry-After").orElse(null));

    // The nurse's page says so, in words, and asks again by itself until the history is back.
    browser = Chromium.start(1280, 900);
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
    wait.ignoring(StaleElementReferenceException.class);
    Chromium.signIn(browser, wait, one.base, AlertsApp.ADA, AlertsApp.ADA_PASSWORD);
    By row = By.cssSelector("tr.patient-row[data-patient='" + PatientKeys.format(onTwo) + "']");
    wait.until(ExpectedConditions.visibilityOfElementLocated(row));
    browser.findElement(row).findElement(By.cssSelector("td.who button")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("history-status")));
    String status = browser.findElement(By.id("history-status")).getText();
    assertTrue(status.contains("history unavailable, retrying"), status);
    String charts = browser.findElement(By.id("vital-charts")).getText();
    assertTrue(charts.startsWith("Vital-sign charts: history unavailable, retrying"), charts);
    assertTrue(browser.findElements(By.cssSelector("#vital-charts canvas")).isEmpty());
    // The alert list says the same on the card, in words, and keeps asking.
    browser.findElement(By.id("tab-alerts")).click();
    By subscores =
        By.cssSelector("li[data-alert-id='" + cardOnTwo.alert().alertId() + "'] .subscores");
    wait.until(ExpectedConditions.visibilityOfElementLocated(subscores));
    String said = browser.findElement(subscores).getText();
    assertTrue(said.contains("evidence unavailable, retrying"), said);
    assertTrue(said.contains("cannot be reached"), said);
    browser.findElement(By.id("tab-ward")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(row));
    browser.findElement(row).findElement(By.cssSelector("td.who button")).click();

    // The owner goes: its partitions move to instance 1, which then answers every patient; the
    // open page fills in without the nurse doing anything.
    two.close();
    apps.remove(two);
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("history-status")));
    // Only heart rates were posted: one chart drawn, the other vitals captioned "no readings".
    wait.until(d -> d.findElements(By.cssSelector("#vital-charts canvas")).size() == 1);
    String hr = browser.findElement(By.cssSelector("#vital-charts figure figcaption")).getText();
    assertTrue(
        hr.contains("last " + Math.round(heartRate.get(onTwo) + 20)),
        "the posted heart rate: " + hr);
    assertEveryPatientsHistory(ada, json, earlier, latest, heartRate);
    assertEquals(PATIENTS, held(streamsOne, Part.VITALS));
    // The open alert list filled in by itself too: sub-scores and the two-window trend.
    browser.findElement(By.id("tab-alerts")).click();
    wait.until(d -> !d.findElement(subscores).getText().contains("unavailable"));
    assertTrue(browser.findElement(subscores).getText().contains("2"));
    By spark = By.cssSelector("li[data-alert-id='" + cardOnTwo.alert().alertId() + "'] .spark");
    assertEquals(
        "24 hour risk trend, 2 windows", browser.findElement(spark).getAttribute("aria-label"));
    assertEveryCardsEvidence(ada, json, earlier, latest);
  }

  /** Every patient's page has both parts with the posted values, within 90 s. */
  private static void assertEveryPatientsHistory(
      Browserless nurse,
      JsonMapper json,
      Map<PatientKey, RiskScore> earlier,
      Map<PatientKey, RiskScore> latest,
      Map<PatientKey, Double> heartRate) {
    for (PatientKey patient : latest.keySet()) {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                PatientPage page = page(nurse, json, patient);
                assertEquals(List.of(), unavailable(page), "both parts answered");
                assertTrend(earlier.get(patient), latest.get(patient), page.risk());
                assertHeartRate(heartRate.get(patient), page.vitalSigns());
              });
    }
  }

  /** Every patient's alert card has the posted scores as its evidence, within 90 s. */
  private static void assertEveryCardsEvidence(
      Browserless nurse,
      JsonMapper json,
      Map<PatientKey, RiskScore> earlier,
      Map<PatientKey, RiskScore> latest) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              List<AlertCard> cards = cards(nurse, json);
              assertEquals(
                  latest.size(),
                  cards.stream()
                      .filter(
                          c ->
                              latest.keySet().stream()
                                  .anyMatch(p -> PatientKeys.format(p).equals(c.alert().patient())))
                      .count(),
                  "one open alert per patient");
              for (PatientKey patient : latest.keySet()) {
                AlertCard card = card(cards, patient);
                assertEquals(null, card.riskUnavailable(), "evidence of " + patient);
                assertTrend(earlier.get(patient), latest.get(patient), card.risk());
                RiskDetails posted = RiskDetails.of(List.of(latest.get(patient)));
                assertFalse(posted.news2SubScores().isEmpty());
                assertEquals(posted.news2SubScores(), card.risk().news2SubScores());
                assertEquals(posted.contributors(), card.risk().contributors());
              }
            });
  }

  private static List<AlertCard> cards(Browserless nurse, JsonMapper json) throws Exception {
    HttpResponse<String> r = nurse.get("/api/alerts");
    assertEquals(200, r.statusCode(), r.body());
    return json.readValue(r.body(), Argument.listOf(AlertCard.class));
  }

  private static AlertCard card(List<AlertCard> cards, PatientKey patient) {
    return cards.stream()
        .filter(c -> PatientKeys.format(patient).equals(c.alert().patient()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no card of " + patient));
  }

  private static String alertPath(AlertCard card, String tail) {
    return "/api/alerts/" + card.alert().alertId() + tail;
  }

  /** A patient whose risk history instance 1 holds ({@code here}) or instance 2 does. */
  private static PatientKey riskHeldBy(
      AlertsStreams streams, java.util.Set<PatientKey> patients, boolean here) {
    return patients.stream()
        .filter(p -> streams.locate(Part.RISK, p) instanceof AlertsStreams.Where.Here == here)
        .findFirst()
        .orElseThrow();
  }

  /** The {@code ward.history.read} records of {@code actor} for {@code patient} (20 s to come). */
  private List<AuditEvent> historyReads(TestKafka kafka, String actor, PatientKey patient) {
    return kafka
        .consume(
            Topics.AUDIT_READS,
            1,
            Duration.ofSeconds(20),
            r ->
                String.valueOf(r.value().getAction()).equals(ReadAudit.HISTORY)
                    && String.valueOf(r.value().getActor()).equals(actor)
                    && String.valueOf(r.value().getPatientId()).equals(patient.getPatientId())
                    && String.valueOf(r.value().getTenant()).equals(tenant))
        .stream()
        .map(r -> r.value())
        .toList();
  }

  private int held(AlertsStreams streams, Part part) {
    int here = 0;
    for (int i = 0; i < PATIENTS; i++) {
      if (streams.locate(part, PatientKeys.of(tenant, "bed-" + i))
          instanceof AlertsStreams.Where.Here) {
        here++;
      }
    }
    return here;
  }

  private static String pagePath(PatientKey patient) {
    return "/api/patient?key="
        + URLEncoder.encode(PatientKeys.format(patient), StandardCharsets.UTF_8);
  }

  private static String historyPath(PatientKey patient, String part) {
    return "/api/patient/history?part="
        + part
        + "&key="
        + URLEncoder.encode(PatientKeys.format(patient), StandardCharsets.UTF_8);
  }

  private static PatientPage page(Browserless nurse, JsonMapper json, PatientKey patient)
      throws Exception {
    HttpResponse<String> r = nurse.get(pagePath(patient));
    assertEquals(200, r.statusCode(), r.body());
    return json.readValue(r.body(), PatientPage.class);
  }

  /** The parts the page could not show (the JSON leaves an empty list out). */
  private static List<Unavailable> unavailable(PatientPage page) {
    return page.unavailable() == null ? List.of() : page.unavailable();
  }

  private static void assertTrend(RiskScore earlier, RiskScore latest, RiskDetails risk) {
    assertEquals(2, risk.trend().size(), "two scored windows in the trend: " + risk.trend());
    assertEquals(earlier.getWindowEnd(), risk.trend().get(0).t());
    assertEquals(earlier.getLstmRisk(), risk.trend().get(0).lstmRisk(), 1e-9);
    assertEquals(latest.getWindowEnd(), risk.trend().get(1).t());
    assertEquals(latest.getLstmRisk(), risk.trend().get(1).lstmRisk(), 1e-9);
    assertEquals(latest.getNews2().getTotal(), risk.news2Total());
  }

  /** The HR chart's hour: the two posted readings as lowest, highest and last. */
  private static void assertHeartRate(double first, List<VitalsHistory.Series> series) {
    VitalsHistory.Series hr =
        series.stream().filter(s -> s.vital().equals("HR")).findFirst().orElseThrow();
    assertFalse(hr.hours().isEmpty(), "HR hours");
    VitalsHistory.Hour last = hr.hours().get(hr.hours().size() - 1);
    int readings = hr.hours().stream().mapToInt(VitalsHistory.Hour::count).sum();
    assertEquals(2, readings, "both HR readings: " + hr.hours());
    assertEquals(first + 20, last.last(), 1e-3);
    assertEquals(
        first, hr.hours().stream().mapToDouble(VitalsHistory.Hour::min).min().orElseThrow(), 1e-3);
    assertEquals(
        first + 20,
        hr.hours().stream().mapToDouble(VitalsHistory.Hour::max).max().orElseThrow(),
        1e-3);
  }
}
