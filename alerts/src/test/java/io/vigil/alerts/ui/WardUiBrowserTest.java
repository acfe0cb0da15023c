package io.vigil.alerts.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.alerts.app.AlertsApp;
import io.vigil.alerts.app.Browserless;
import io.vigil.alerts.audit.ReadAudit;
import io.vigil.alerts.security.UserStore;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AcknowledgeReason;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.alerts.ResolveOutcome;
import io.vigil.schemas.audit.AuditEvent;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.common.VitalType;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The ward overview, a patient's page and acting on alerts, in Debian's headless Chromium against
 * the whole alerts service on a real broker: readings, scores and care teams produced to the topics
 * scoring and ingest write, read back from what the browser shows and from alerts.events.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WardUiBrowserTest {
  private static final String DANA = "dana";
  private static final String DANA_PASSWORD = "dana-pass-4-tests";
  private static final String EVE = "eve";
  private static final String EVE_PASSWORD = "eve-pass-4-tests";
  private static final String OLGA = "olga";
  private static final String OLGA_PASSWORD = "olga-pass-4-tests";
  private static final Path DOCS = Path.of("docs");
  private final String tenant = TestKafka.unique("ward");
  private final String otherTenant = TestKafka.unique("other");
  private AlertsApp app;
  private ChromeDriver browser;
  private WebDriverWait wait;
  private Instant now;

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    Path home = Files.createTempDirectory("vigil-home");
    Path users = home.resolve("alerts").resolve("users.properties");
    UserStore.addUser(users, DANA, DANA_PASSWORD, List.of(tenant + "/ward-1", tenant + "/ward-2"));
    UserStore.addUser(users, AlertsApp.ADA, AlertsApp.ADA_PASSWORD, List.of(tenant + "/ward-1"));
    UserStore.addUser(users, EVE, EVE_PASSWORD, List.of(otherTenant + "/ward-1"));
    UserStore.addUser(users, OLGA, OLGA_PASSWORD, List.of(tenant + "/ward-9"));
    // Ward 2's HIGH alerts escalate after 5 s unacknowledged, so the test sees one escalated.
    app =
        AlertsApp.start(
            kafka,
            home,
            Map.of(
                "vigil.alerts.tenants." + tenant + ".teams.ward-2.policy.ack-limit.high",
                "5s",
                // Ward 1 chose an alert budget; with two patients it is still warming up.
                "vigil.alerts.tenants." + tenant + ".teams.ward-1.policy.alert-budget",
                "0.5"));
    browser = Chromium.start(1280, 900, "--autoplay-policy=no-user-gesture-required");
    wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    // The lists are re-rendered on live updates: an element found may be replaced before it is
    // read.
    wait.ignoring(StaleElementReferenceException.class);
    Files.createDirectories(DOCS);

    // The ward: care teams first (an earlier event time, so the alerts route to the teams), then
    // readings and scores. bed-1 and bed-2 are ward 1's, bed-3 ward 2's; the other tenant has a
    // bed-1 of its own ward-1.
    now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant ctx = now.minus(Duration.ofHours(3));
    kafka.produce(
        Topics.PATIENTS_CONTEXT,
        Map.of(
            key("bed-1"), Scores.context(ctx, "ward-1"),
            key("bed-2"), Scores.context(ctx, "ward-1"),
            key("bed-3"), Scores.context(ctx, "ward-2"),
            PatientKeys.of(otherTenant, "bed-1"), Scores.context(ctx, "ward-1")));
    Thread.sleep(1500);
    try (KafkaProducer<PatientKey, VitalObservation> p =
        kafka.producer(Topics.VITALS_OBSERVATIONS)) {
      Instant fresh = now.minus(Duration.ofMinutes(2));
      readings(p, key("bed-1"), fresh, 88, 18, 97, 124, 78, 36.8);
      readings(p, key("bed-2"), now.minus(Duration.ofMinutes(40)), 112, 23, 93, 101, 60, 38.4);
      readings(p, key("bed-3"), fresh, 135, 27, 90, 95, 55, 39.3);
      readings(p, PatientKeys.of(otherTenant, "bed-1"), fresh, 60, 12, 99, 120, 80, 36.6);
      p.flush();
    }
    Instant w = now.truncatedTo(ChronoUnit.HOURS);
    // bed-3 was scored 40 h ago too: the patient view's risk trend covers 72 h.
    kafka.produce(
        Topics.RISK_SCORES,
        Map.of(key("bed-3"), Scores.score(w.minus(Duration.ofHours(40)), 0.12, 2)));
    kafka.produce(
        Topics.RISK_SCORES, Map.of(key("bed-1"), Scores.score(w.minusSeconds(3600), 0.10, 2)));
    kafka.produce(
        Topics.RISK_SCORES,
        Map.of(
            key("bed-1"), Scores.score(w, 0.15, 3),
            key("bed-2"), Scores.score(w, 0.20, 6),
            key("bed-3"), withThreshold(Scores.score(w, 0.30, 8), 0.45),
            PatientKeys.of(otherTenant, "bed-1"), Scores.score(w, 0.05, 0)));
  }

  private PatientKey key(String id) {
    return PatientKeys.of(tenant, id);
  }

  private static RiskScore withThreshold(RiskScore s, double threshold) {
    return RiskScore.newBuilder(s).setLstmThreshold(threshold).build();
  }

  private static void readings(
      KafkaProducer<PatientKey, VitalObservation> p,
      PatientKey patient,
      Instant at,
      double hr,
      double rr,
      double spo2,
      double sys,
      double dia,
      double temp) {
    Map<VitalType, Double> values = new HashMap<>();
    values.put(VitalType.HEART_RATE, hr);
    values.put(VitalType.RESPIRATORY_RATE, rr);
    values.put(VitalType.OXYGEN_SATURATION, spo2);
    values.put(VitalType.SYSTOLIC_BP, sys);
    values.put(VitalType.DIASTOLIC_BP, dia);
    values.put(VitalType.BODY_TEMPERATURE, temp);
    values.forEach(
        (vital, value) ->
            p.send(
                new ProducerRecord<>(
                    Topics.VITALS_OBSERVATIONS.name(), patient, reading(vital, value, at))));
  }

  private static VitalObservation reading(VitalType vital, double value, Instant at) {
    return VitalObservation.newBuilder()
        .setReadingId("r-" + vital + "-" + at.toEpochMilli() + "-" + value)
        .setSourceId("platform-test")
        .setVital(vital)
        .setLoinc("x")
        .setValue(value)
        .setUnit("u")
        .setTime(at)
        .setTimeReceived(at)
        .build();
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (app != null) {
      app.close();
    }
  }

  private void signIn(String user, String password) {
    browser.manage().deleteAllCookies();
    Chromium.signIn(browser, wait, app.base, user, password);
  }

  private By row(String patient) {
    return By.cssSelector("tr.patient-row[data-patient='" + patient + "']");
  }

  private String cell(String patient, String cls) {
    return inRow(patient, cls, WebElement::getText);
  }

  /**
   * What {@code read} finds in a cell of the patient's row. A live update redraws the row; one
   * redrawn between finding it and reading it is found again.
   */
  private String inRow(
      String patient, String cls, java.util.function.Function<WebElement, String> read) {
    for (int attempt = 1; ; attempt++) {
      try {
        return read.apply(
            browser.findElement(row(patient)).findElement(By.cssSelector("td." + cls)));
      } catch (StaleElementReferenceException redrawn) {
        if (attempt == 5) {
          throw redrawn;
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private List<String> order() {
    return (List<String>)
        browser.executeScript(
            "return Array.from(document.querySelectorAll('#ward-rows tr.patient-row'))"
                + ".filter(r => !r.hidden).map(r => r.dataset.patient);");
  }

  @Test
  @Order(1)
  void shouldListEveryPatientOfMyTeamsWithLatestValuesSickestFirstAndFilter(TestKafka kafka)
      throws Exception {
    signIn(DANA, DANA_PASSWORD);
    String b1 = tenant + "/bed-1";
    String b2 = tenant + "/bed-2";
    String b3 = tenant + "/bed-3";
    // bed-3 has an open HIGH alert (NEWS2 8); then bed-2 (NEWS2 6), then bed-1 (NEWS2 3).
    wait.until(
        d ->
            order().equals(List.of(b3, b2, b1))
                && d.findElement(row(b3)).getText().contains("HIGH")
                && cell(b1, "news2").startsWith("3"));
    assertTrue(cell(b1, "hr").startsWith("88"), cell(b1, "hr"));
    assertTrue(cell(b1, "rr").startsWith("18"), cell(b1, "rr"));
    assertTrue(cell(b1, "spo2").startsWith("97"), cell(b1, "spo2"));
    assertTrue(cell(b1, "bp").startsWith("124/78"), cell(b1, "bp"));
    assertTrue(cell(b1, "temp").startsWith("36.8"), cell(b1, "temp"));
    assertTrue(cell(b1, "hr").contains("2 min"), "the reading's age: " + cell(b1, "hr"));
    assertEquals("15% ↑", cell(b1, "risk"), "risk with its trend against the previous window");
    // NEWS2 bands: 3 low, 6 medium, 8 high.
    assertTrue(cls(b1, "news2").contains("band-low"));
    assertTrue(cls(b2, "news2").contains("band-medium"));
    assertTrue(cls(b3, "news2").contains("band-high"));
    // bed-2 sent nothing for 40 minutes: greyed, and says so.
    assertTrue(browser.findElement(row(b2)).getAttribute("class").contains("stale"));
    assertTrue(cell(b2, "fresh").startsWith("no readings for 40 min"), cell(b2, "fresh"));
    assertFalse(browser.findElement(row(b1)).getAttribute("class").contains("stale"));
    // Ages move on with the clock, without reloading: the browser's clock set ten minutes ahead,
    // the next refresh (every 15 s) adds ten minutes to the age and, the clock set back, not.
    int age = minutes(cell(b1, "hr"));
    ((JavascriptExecutor) browser)
        .executeScript(
            "window.__realNow = Date.now;"
                + " Date.now = () => window.__realNow.call(Date) + 600000;");
    try {
      wait.until(
          d ->
              minutes(cell(b1, "hr")) >= age + 10
                  && cell(b2, "fresh").startsWith("no readings for 5"));
      assertTrue(minutes(cell(b1, "hr")) <= age + 11, cell(b1, "hr"));
    } finally {
      ((JavascriptExecutor) browser).executeScript("Date.now = window.__realNow;");
    }
    wait.until(d -> minutes(cell(b1, "hr")) <= age + 1);
    // The other tenant's bed-1 is never listed.
    assertTrue(
        browser.findElements(row(otherTenant + "/bed-1")).isEmpty(), "another tenant's patient");
    // Title: the unacknowledged alerts (bed-3's NEWS2 7+, bed-2's NEWS2 5-6).
    wait.until(ExpectedConditions.titleIs("(2) Vigil ward"));

    new Select(browser.findElement(By.id("team-filter"))).selectByValue(tenant + "/ward-2");
    assertEquals(List.of(b3), order());
    new Select(browser.findElement(By.id("team-filter"))).selectByValue("");
    browser.findElement(By.id("search")).sendKeys("bed-2");
    assertEquals(List.of(b2), order());
    browser.findElement(By.id("search")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    assertEquals(3, order().size());
    screenshot("ward-overview.png");

    // Live: a new reading changes one row, without reloading the page or the list.
    JavascriptExecutor js = browser;
    js.executeScript("window.__sameDocument = true; window.__vigilWardRendered.marker = 1;");
    try (KafkaProducer<PatientKey, VitalObservation> p =
        kafka.producer(Topics.VITALS_OBSERVATIONS)) {
      p.send(
          new ProducerRecord<>(
              Topics.VITALS_OBSERVATIONS.name(),
              key("bed-1"),
              reading(VitalType.HEART_RATE, 131, Instant.now())));
    }
    wait.until(d -> cell(b1, "hr").startsWith("131"));
    assertEquals(
        Boolean.TRUE,
        js.executeScript(
            "return window.__sameDocument === true && window.__vigilWardRendered.marker === 1;"),
        "updated in place: no page reload, no reload of the list");
  }

  /** The age in minutes a cell shows ("88\n3 min" gives 3). */
  private static int minutes(String cell) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) min").matcher(cell);
    assertTrue(m.find(), "an age in minutes: " + cell);
    return Integer.parseInt(m.group(1));
  }

  private String cls(String patient, String cell) {
    return inRow(patient, cell, e -> e.getAttribute("class"));
  }

  @Test
  @Order(2)
  void shouldShowAPatientsValuesScoreInClinicalWordsAlertHistoryAndCharts(TestKafka kafka)
      throws Exception {
    // Two heart-rate readings a day and a half ago, in one hour: one hourly summary of the chart.
    Instant earlier = now.minus(Duration.ofHours(30)).truncatedTo(ChronoUnit.HOURS);
    try (KafkaProducer<PatientKey, VitalObservation> p =
        kafka.producer(Topics.VITALS_OBSERVATIONS)) {
      p.send(
          new ProducerRecord<>(
              Topics.VITALS_OBSERVATIONS.name(),
              key("bed-3"),
              reading(VitalType.HEART_RATE, 120, earlier.plusSeconds(600))));
      p.send(
          new ProducerRecord<>(
              Topics.VITALS_OBSERVATIONS.name(),
              key("bed-3"),
              reading(VitalType.HEART_RATE, 100, earlier.plusSeconds(1200))));
    }
    String b3 = tenant + "/bed-3";
    Browserless api = new Browserless(app.base);
    assertEquals(200, api.login(DANA, DANA_PASSWORD).statusCode());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get("/api/patient?key=" + b3).body().contains("\"count\":2"));
    signIn(DANA, DANA_PASSWORD);
    wait.until(ExpectedConditions.visibilityOfElementLocated(row(b3)));
    browser.findElement(row(b3)).findElement(By.cssSelector("td.who button")).click();
    wait.until(ExpectedConditions.textToBe(By.id("patient-heading"), b3));
    String vitals = browser.findElement(By.id("patient-vitals")).getText();
    assertTrue(vitals.contains("135 /min"), vitals);
    assertTrue(vitals.contains("39.3 °C"), vitals);
    assertTrue(vitals.contains("95 mmHg"), vitals);
    String news2 = browser.findElement(By.id("patient-news2")).getText();
    assertTrue(news2.startsWith("NEWS2 8 from RR 2"), news2);
    assertTrue(news2.contains("missing: ACVPU"), news2);
    String why = browser.findElement(By.id("patient-contributors")).getText();
    assertTrue(why.contains("RR (+21 points)"), why);
    // The risk chart: drawn by uPlot from the posted window, with the threshold in use.
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#risk-chart canvas")));
    // The 72 h charts: one per vital, drawn from the hourly summaries of the posted readings.
    assertEquals(
        6L,
        ((JavascriptExecutor) browser)
            .executeScript("return document.querySelectorAll('#vital-charts canvas').length;"));
    @SuppressWarnings("unchecked")
    Map<String, List<Number>> hr =
        (Map<String, List<Number>>)
            ((JavascriptExecutor) browser).executeScript("return window.__vigilCharts.HR;");
    assertEquals(2, hr.get("last").size(), "two hours with heart-rate readings: " + hr);
    assertEquals(100.0, hr.get("min").get(0).doubleValue());
    assertEquals(120.0, hr.get("max").get(0).doubleValue());
    assertEquals(100.0, hr.get("last").get(0).doubleValue(), "the later reading of the hour");
    assertEquals(135.0, hr.get("last").get(1).doubleValue());
    String hrCaption =
        browser.findElement(By.cssSelector("#vital-charts figure figcaption")).getText();
    assertTrue(hrCaption.startsWith("HR (/min): readings in 2 of 72 hours"), hrCaption);
    assertTrue(hrCaption.contains("lowest 100, highest 135"), hrCaption);
    String chart = browser.findElement(By.id("risk-chart-text")).getText();
    assertTrue(chart.startsWith("2 scored windows"), "the window 40 h ago too: " + chart);
    assertTrue(chart.contains("latest LSTM risk 30%"), chart);
    assertTrue(chart.contains("threshold in use 45%"), chart);
    String history = browser.findElement(By.id("patient-alerts")).getText();
    assertTrue(history.contains("HIGH · NEWS2 7 or more"), history);
    assertTrue(history.contains("raised"), history);
    assertTrue(history.contains("notified"), history);
    browser.manage().window().setSize(new Dimension(1280, 2400));
    try {
      screenshot("patient-view.png");
    } finally {
      browser.manage().window().setSize(new Dimension(1280, 900));
    }

    // Tenancy: another tenant's patient answers as one that does not exist; another team's 403.
    Browserless eve = new Browserless(app.base);
    assertEquals(200, eve.login(EVE, EVE_PASSWORD).statusCode());
    var foreign = eve.get("/api/patient?key=" + tenant + "/bed-1");
    var missing = eve.get("/api/patient?key=" + otherTenant + "/no-such-bed");
    assertEquals(404, foreign.statusCode());
    assertEquals(missing.body(), foreign.body(), "same answer as a patient that does not exist");
    assertFalse(eve.get("/api/ward").body().contains(tenant), "no other tenant in her ward");
    for (String part : List.of("risk", "vitals")) {
      var foreignPart = eve.get("/api/patient/history?key=" + tenant + "/bed-1&part=" + part);
      var missingPart =
          eve.get("/api/patient/history?key=" + otherTenant + "/no-such-bed&part=" + part);
      assertEquals(404, foreignPart.statusCode(), part);
      assertEquals(
          missingPart.body(), foreignPart.body(), part + ": as a patient that does not exist");
      assertEquals(
          401,
          new Browserless(app.base)
              .get("/api/patient/history?key=" + tenant + "/bed-1&part=" + part)
              .statusCode(),
          part + " without a credential");
    }
    Browserless ada = new Browserless(app.base);
    assertEquals(200, ada.login(AlertsApp.ADA, AlertsApp.ADA_PASSWORD).statusCode());
    assertEquals(403, ada.get("/api/patient?key=" + b3).statusCode(), "ward 2's patient");
    assertEquals(200, ada.get("/api/patient?key=" + tenant + "/bed-1").statusCode());
  }

  @Test
  @Order(3)
  void shouldRecordEveryReadOfTheWardAndOfAPatient(TestKafka kafka) throws Exception {
    Browserless dana = new Browserless(app.base);
    assertEquals(200, dana.login(DANA, DANA_PASSWORD).statusCode());
    assertEquals(200, dana.get("/api/ward").statusCode());
    assertEquals(200, dana.get("/api/patient?key=" + tenant + "/bed-2").statusCode());
    List<ConsumerRecord<PatientKey, AuditEvent>> records =
        kafka.consume(
            Topics.AUDIT_READS,
            Integer.MAX_VALUE,
            Duration.ofSeconds(6),
            r -> r.value().getTenant().equals(tenant) && r.value().getActor().equals(DANA));
    List<AuditEvent> lists =
        records.stream()
            .map(ConsumerRecord::value)
            .filter(e -> e.getAction().equals(ReadAudit.WARD))
            .toList();
    assertFalse(lists.isEmpty(), "the ward read is recorded");
    AuditEvent list = lists.get(lists.size() - 1);
    assertEquals(ReadAudit.SCOPE, list.getPatientId());
    assertEquals("teams=ward-1,ward-2", list.getQuery());
    assertEquals(3, list.getRecords());
    AuditEvent one =
        records.stream()
            .map(ConsumerRecord::value)
            .filter(e -> e.getAction().equals(ReadAudit.PATIENT))
            .filter(e -> e.getPatientId().equals("bed-2"))
            .findFirst()
            .orElseThrow();
    assertEquals("SERVED", one.getOutcome());
    String text = one.toString();
    assertFalse(text.contains("112"), "no vital value in the audit record: " + text);
  }

  @Test
  @Order(4)
  void shouldAcknowledgeWithAReasonAndResolveWithAnOutcomeOnTheRecord(TestKafka kafka)
      throws Exception {
    signIn(DANA, DANA_PASSWORD);
    browser.findElement(By.id("tab-alerts")).click();
    String b2 = tenant + "/bed-2";
    By card =
        By.xpath(
            "//li[contains(@class,'card') and .//span[@class='patient' and text()='" + b2 + "']]");
    wait.until(ExpectedConditions.visibilityOfElementLocated(card));
    // Live updates redraw the cards: each find-and-click is retried on a card redrawn in between.
    String alertId =
        wait.until(
            d -> {
              WebElement alert = d.findElement(card);
              assertTrue(alert.getText().contains("NEWS2 5 or 6"), alert.getText());
              String id = alert.getAttribute("data-alert-id");
              alert.findElement(By.cssSelector("button.ack")).click();
              return id;
            });
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("act-dialog")));
    // Confirming without a reason is refused with a clear message.
    browser.findElement(By.id("act-confirm")).click();
    assertEquals("Choose a reason.", browser.findElement(By.id("act-error")).getText());
    new Select(browser.findElement(By.id("act-choice"))).selectByValue("CHECKING_DEVICE");
    browser.findElement(By.id("act-note")).sendKeys("strap loose on the left wrist");
    browser.findElement(By.id("act-confirm")).click();
    wait.until(
        d -> d.findElement(card).getText().contains("Acknowledged by dana: checking the device"));

    wait.until(
        d -> {
          d.findElement(card).findElement(By.cssSelector("button.resolve")).click();
          return true;
        });
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("act-dialog")));
    new Select(browser.findElement(By.id("act-choice"))).selectByValue("FALSE_ALARM_ARTEFACT");
    browser.findElement(By.id("act-confirm")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(card));

    List<ConsumerRecord<PatientKey, AlertEvent>> events =
        kafka.consume(
            Topics.ALERTS_EVENTS,
            2,
            Duration.ofSeconds(30),
            r ->
                r.value().getAlertId().equals(alertId)
                    && (r.value().getType() == AlertEventType.ACKNOWLEDGED
                        || r.value().getType() == AlertEventType.RESOLVED));
    assertEquals(2, events.size(), events.toString());
    AlertEvent ack = events.get(0).value();
    assertEquals(AlertEventType.ACKNOWLEDGED, ack.getType());
    assertEquals(AcknowledgeReason.CHECKING_DEVICE, ack.getReason());
    assertEquals("strap loose on the left wrist", ack.getNote());
    assertEquals(DANA, ack.getActor());
    AlertEvent resolved = events.get(1).value();
    assertEquals(ResolveOutcome.FALSE_ALARM_ARTEFACT, resolved.getOutcome());

    // The team sees its false alarms counted by cause.
    wait.until(
        d -> {
          String t = d.findElement(By.id("outcomes")).getText();
          return t.contains("NEWS2 5 or 6 False alarm: artefact 1");
        });
  }

  @Test
  @Order(5)
  void shouldMarkEscalatedAlertsAndAnnounceNewHighAlertsBySoundAndNotification(TestKafka kafka)
      throws Exception {
    signIn(DANA, DANA_PASSWORD);
    // Before permission: the button asks for it.
    assertTrue(browser.findElement(By.id("notify")).isDisplayed());
    Map<String, Object> grant = new HashMap<>();
    grant.put("origin", app.base.toString().replaceAll("/$", ""));
    grant.put("permissions", List.of("notifications"));
    browser.executeCdpCommand("Browser.grantPermissions", grant);
    browser.navigate().refresh();
    wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
    wait.until(ExpectedConditions.textToBe(By.id("notify-state"), "Notifications on"));
    assertFalse(browser.findElement(By.id("notify")).isDisplayed());
    browser.findElement(By.id("sound")).click();

    // bed-3's HIGH alert was not acknowledged within ward 2's 5 s: escalated, and marked.
    browser.findElement(By.id("tab-alerts")).click();
    By card3 =
        By.xpath(
            "//li[contains(@class,'card') and .//span[@class='patient' and text()='"
                + tenant
                + "/bed-3']]");
    wait.until(d -> d.findElement(card3).getAttribute("class").contains("escalated"));
    assertTrue(
        browser.findElement(card3).getText().contains("Escalated to the "),
        browser.findElement(card3).getText());
    browser.findElement(By.id("tab-ward")).click();
    wait.until(d -> d.findElement(row(tenant + "/bed-3")).getText().contains("escalated"));

    // A new HIGH alert arrives: one sound and one browser notification.
    JavascriptExecutor js = browser;
    Long beepsBefore = (Long) js.executeScript("return window.__vigilBeeps || 0;");
    PatientKey bed4 = key("bed-4");
    Instant t = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
    kafka.produce(Topics.PATIENTS_CONTEXT, Map.of(bed4, Scores.context(t, "ward-1")));
    Thread.sleep(1000);
    kafka.produce(Topics.RISK_SCORES, Map.of(bed4, Scores.score(t, 0.2, 9)));
    wait.until(d -> ((Long) js.executeScript("return window.__vigilNotified || 0;")) >= 1);
    assertEquals(
        beepsBefore + 1, (Long) js.executeScript("return window.__vigilBeeps || 0;"), "one sound");
    wait.until(ExpectedConditions.visibilityOfElementLocated(row(tenant + "/bed-4")));
  }

  @Test
  @Order(6)
  void shouldHaveNoSeriousOrCriticalAccessibilityViolations() throws Exception {
    signIn(DANA, DANA_PASSWORD);
    wait.until(ExpectedConditions.visibilityOfElementLocated(row(tenant + "/bed-1")));
    assertNoViolations("ward overview");
    browser.findElement(By.id("tab-alerts")).click();
    assertNoViolations("alert list");
    browser.findElement(By.id("tab-ward")).click();
    browser
        .findElement(row(tenant + "/bed-3"))
        .findElement(By.cssSelector("td.who button"))
        .click();
    wait.until(ExpectedConditions.textToBe(By.id("patient-heading"), tenant + "/bed-3"));
    assertNoViolations("patient view");
    // Keyboard only: from the back button, Enter returns to the ward with focus on its tab.
    browser.findElement(By.id("back")).sendKeys(Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("ward-view")));
    assertEquals("tab-ward", browser.switchTo().activeElement().getAttribute("id"));
    // Tab moves from the ward tab through the alerts tab to the filters.
    browser.switchTo().activeElement().sendKeys(Keys.TAB);
    assertEquals("tab-alerts", browser.switchTo().activeElement().getAttribute("id"));
    browser.switchTo().activeElement().sendKeys(Keys.TAB);
    assertEquals("team-filter", browser.switchTo().activeElement().getAttribute("id"));

    browser.manage().window().setSize(new Dimension(390, 844));
    try {
      assertNoViolations("ward overview at phone width");
      assertFalse(
          (Boolean)
              browser.executeScript(
                  "return document.documentElement.scrollWidth > window.innerWidth;"),
          "no horizontal scrolling at phone width");
      screenshot("ward-phone.png");
    } finally {
      browser.manage().window().setSize(new Dimension(1280, 900));
    }
  }

  @SuppressWarnings("unchecked")
  private void assertNoViolations(String where) throws Exception {
    String axe;
    try (InputStream in = getClass().getResourceAsStream("/axe/axe.min.js")) {
      assertNotNull(in, "axe-core in the test resources");
      axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    browser.executeScript(axe);
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    List<Map<String, Object>> violations =
        (List<Map<String, Object>>)
            browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "axe.run(document, {resultTypes: ['violations']})"
                    + ".then(r => done(r.violations.filter(v => v.impact === 'serious'"
                    + " || v.impact === 'critical').map(v => ({id: v.id, impact: v.impact,"
                    + " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
                    + ".catch(e => done([{id: 'axe failed', impact: String(e)}]));");
    assertTrue(violations.isEmpty(), where + ": " + violations);
  }

  @Test
  @Order(7)
  void shouldRenderAWardOf500PatientsWithinOneSecond(TestKafka kafka) throws Exception {
    int n = 500;
    Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Map<PatientKey, io.vigil.schemas.patients.PatientContext> contexts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      contexts.put(
          key(String.format("big-%03d", i)), Scores.context(t.minusSeconds(600), "ward-9"));
    }
    kafka.produce(Topics.PATIENTS_CONTEXT, contexts);
    try (KafkaProducer<PatientKey, VitalObservation> p =
        kafka.producer(Topics.VITALS_OBSERVATIONS)) {
      for (int i = 0; i < n; i++) {
        readings(
            p,
            key(String.format("big-%03d", i)),
            t.minusSeconds(60),
            70 + i % 50,
            14,
            96,
            120,
            75,
            36.9);
      }
      p.flush();
    }
    Map<PatientKey, RiskScore> scores = new HashMap<>();
    for (int i = 0; i < n; i++) {
      scores.put(
          key(String.format("big-%03d", i)),
          Scores.score(t.truncatedTo(ChronoUnit.HOURS), (i % 40) / 100.0, i % 5));
    }
    kafka.produce(Topics.RISK_SCORES, scores);
    Browserless olga = new Browserless(app.base);
    assertEquals(200, olga.login(OLGA, OLGA_PASSWORD).statusCode());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              String body = olga.get("/api/ward").body();
              return body.split("\"news2Band\":\"").length - 1 == n;
            });

    signIn(OLGA, OLGA_PASSWORD);
    wait.until(d -> order().size() == n);
    JavascriptExecutor js = browser;
    js.executeScript("window.__vigilWardRendered = null; location.reload();");
    wait.until(d -> js.executeScript("return window.__vigilWardRendered") != null);
    wait.until(d -> order().size() == n);
    Map<String, Object> rendered =
        (Map<String, Object>) js.executeScript("return window.__vigilWardRendered;");
    double renderMs = ((Number) rendered.get("ms")).doubleValue();
    double sinceNavigationMs = ((Number) rendered.get("at")).doubleValue();
    System.out.printf(
        "ward of %d patients: rows built and in the page in %.0f ms; %.0f ms from navigation"
            + " start (sign-in check, /api/ward with its audit record, render)%n",
        n, renderMs, sinceNavigationMs);
    assertTrue(renderMs < 1000, "500 rows rendered in " + renderMs + " ms");
    assertTrue(sinceNavigationMs < 1000 * 5, "page ready in " + sinceNavigationMs + " ms");

    // Updates every few seconds: a reading for every patient, pushed live, painted in place.
    js.executeScript("window.__vigilLongestPaintMs = 0; window.__vigilPaints = 0;");
    try (KafkaProducer<PatientKey, VitalObservation> p =
        kafka.producer(Topics.VITALS_OBSERVATIONS)) {
      for (int i = 0; i < n; i++) {
        p.send(
            new ProducerRecord<>(
                Topics.VITALS_OBSERVATIONS.name(),
                key(String.format("big-%03d", i)),
                reading(VitalType.HEART_RATE, 150, Instant.now())));
      }
    }
    wait.until(
        d ->
            (Boolean)
                js.executeScript(
                    "return Array.from(document.querySelectorAll('#ward-rows td.hr'))"
                        + ".every(c => c.textContent.startsWith('150'));"));
    Number longest = (Number) js.executeScript("return window.__vigilLongestPaintMs;");
    Number paints = (Number) js.executeScript("return window.__vigilPaints;");
    System.out.printf(
        "ward of %d patients: a reading for each painted in %d paints, longest %.0f ms%n",
        n, paints.longValue(), longest.doubleValue());
    assertTrue(longest.doubleValue() < 1000, "longest paint " + longest + " ms");
  }

  private void screenshot(String name) throws Exception {
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, DOCS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  @Order(8)
  void shouldSayInTheHeaderWhichLstmThresholdEachOfMyTeamsUses() {
    signIn(DANA, DANA_PASSWORD);
    wait.until(
        ExpectedConditions.textMatches(
            By.id("lstm-thresholds"),
            java.util.regex.Pattern.compile(
                "^LSTM threshold · "
                    + java.util.regex.Pattern.quote(tenant)
                    + "/ward-1: the model's while the alert budget of 0\\.50 per patient-day"
                    + " warms up \\([0-9.]+ patient-days so far\\) · "
                    + java.util.regex.Pattern.quote(tenant)
                    + "/ward-2: the model's$")));
  }
}
