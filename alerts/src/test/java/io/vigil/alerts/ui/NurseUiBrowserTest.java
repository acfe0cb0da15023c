package io.vigil.alerts.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.alerts.app.AlertsApp;
import io.vigil.alerts.app.Browserless;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The nurse UI in Debian's headless Chromium at phone width: sign in, see an alert arrive live (no
 * reload), acknowledge it, see its state change.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NurseUiBrowserTest {
  private final String tenant = TestKafka.unique("ui");
  private AlertsApp app;
  private ChromeDriver browser;

  @BeforeAll
  void start(TestKafka kafka) throws Exception {
    app = AlertsApp.start(kafka, tenant, Map.of());
    browser = Chromium.start(390, 844);
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

  @Test
  void shouldTellANurseToWaitAfterRepeatedWrongPasswords() throws Exception {
    // Five wrong guesses from this machine (over HTTP, so that none is still in flight), then
    // the nurse types the right password into the form.
    Browserless guesser = new Browserless(app.base);
    for (int i = 0; i < 5; i++) {
      assertEquals(401, guesser.login(AlertsApp.CAROL, "guess-" + i).statusCode());
    }
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    // The lists are re-rendered on live updates: an element found may be replaced before it is
    // read.
    wait.ignoring(StaleElementReferenceException.class);
    browser.manage().deleteAllCookies();
    browser.get(app.base.resolve("/").toString());
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
    browser.findElement(By.id("username")).sendKeys(AlertsApp.CAROL);
    browser.findElement(By.id("password")).sendKeys(AlertsApp.CAROL_PASSWORD);
    browser.findElement(By.id("login-button")).click();
    wait.until(
        ExpectedConditions.textMatches(
            By.id("login-error"),
            Pattern.compile("Too many failed sign-ins\\. Try again in [0-9]+ seconds\\.")));
    assertTrue(browser.findElement(By.id("login")).isDisplayed(), "still signed out");
  }

  @Test
  void shouldSignInSeeAnAlertArriveLiveAndAcknowledgeIt(TestKafka kafka) throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    // The lists are re-rendered on live updates: an element found may be replaced before it is
    // read.
    wait.ignoring(StaleElementReferenceException.class);
    Chromium.signIn(browser, wait, app.base, AlertsApp.ADA, AlertsApp.ADA_PASSWORD);
    assertEquals("ada", browser.findElement(By.id("user")).getText());
    assertFalse(browser.findElement(By.id("login")).isDisplayed(), "the login form is gone");
    JavascriptExecutor js = browser;
    js.executeScript("window.__sameDocument = true;");
    browser.findElement(By.id("tab-alerts")).click();

    PatientKey patient = PatientKeys.of(tenant, "bed-4");
    String key = PatientKeys.format(patient);
    Instant t = Instant.now().minus(Duration.ofHours(3));
    kafka.produce(Topics.PATIENTS_CONTEXT, Map.of(patient, Scores.context(t, "ward-1")));
    kafka.produce(Topics.RISK_SCORES, Map.of(patient, Scores.score(t, 0.35, 4)));
    kafka.produce(Topics.RISK_SCORES, Map.of(patient, Scores.score(t.plusSeconds(3600), 0.58, 6)));
    kafka.produce(Topics.RISK_SCORES, Map.of(patient, Scores.score(t.plusSeconds(7200), 0.66, 8)));

    By card =
        By.xpath(
            "//li[contains(@class,'card') and .//span[@class='patient' and text()='"
                + key
                + "']"
                + " and contains(@class,'HIGH')]");
    WebElement alert = wait.until(ExpectedConditions.visibilityOfElementLocated(card));
    assertEquals(
        Boolean.TRUE,
        js.executeScript("return window.__sameDocument === true;"),
        "the alert arrived without a page reload");
    assertTrue(alert.getText().contains("NEWS2 8"), alert.getText());
    assertTrue(alert.getText().contains("LSTM risk 66%"), alert.getText());
    assertTrue(alert.getText().contains("NEWS2 7 or more"), alert.getText());
    assertTrue(alert.getText().contains("RR 2"), alert.getText());
    assertTrue(alert.getText().contains("Top vitals: RR, HR"), alert.getText());
    String points = alert.findElement(By.cssSelector("svg.spark polyline")).getAttribute("points");
    assertEquals(3, points.trim().split(" ").length, "a sparkline point per scored window");
    assertFalse(
        (Boolean)
            js.executeScript("return document.documentElement.scrollWidth > window.innerWidth;"),
        "no horizontal scrolling at phone width");

    alert.findElement(By.cssSelector("button.ack")).click();
    new Select(browser.findElement(By.id("act-choice"))).selectByValue("REVIEWING_PATIENT");
    browser.findElement(By.id("act-confirm")).click();
    wait.until(
        d -> {
          WebElement c = d.findElement(card);
          return c.findElement(By.className("status")).getText().startsWith("ACKNOWLEDGED")
              && c.getText().contains("Acknowledged by ada");
        });
    WebElement acked = browser.findElement(card);
    assertFalse(acked.findElement(By.cssSelector("button.ack")).isEnabled());
    assertTrue(acked.isDisplayed(), "acknowledged alerts stay visible until resolved");

    acked.findElement(By.cssSelector("button.resolve")).click();
    new Select(browser.findElement(By.id("act-choice"))).selectByValue("ESCALATED_TO_CLINICIAN");
    browser.findElement(By.id("act-confirm")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(card));
  }

  @Test
  void shouldTellTheNurseAnAlertRestsOnLateDataAndForWhichWindow(TestKafka kafka) throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    // The lists are re-rendered on live updates: an element found may be replaced before it is
    // read.
    wait.ignoring(StaleElementReferenceException.class);
    browser.manage().deleteAllCookies();
    try {
      browser.get(app.base.resolve("/").toString());
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
      browser.findElement(By.id("username")).sendKeys(AlertsApp.ADA);
      browser.findElement(By.id("password")).sendKeys(AlertsApp.ADA_PASSWORD);
      browser.findElement(By.id("login-button")).click();
      wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
      browser.findElement(By.id("tab-alerts")).click();

      PatientKey patient = PatientKeys.of(tenant, "bed-7");
      String key = PatientKeys.format(patient);
      Instant t = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.HOURS);
      kafka.produce(Topics.PATIENTS_CONTEXT, Map.of(patient, Scores.context(t, "ward-1")));
      RiskScore first = Scores.score(t, 0.2, 2);
      kafka.produce(Topics.RISK_SCORES, Map.of(patient, first));
      kafka.produce(Topics.RISK_SCORES, Map.of(patient, Scores.score(t.plusSeconds(3600), 0.2, 2)));
      kafka.produce(
          Topics.RISK_SCORES, Map.of(patient, Scores.late(Scores.score(t, 0.2, 8), 1, 3, first)));

      By card =
          By.xpath(
              "//li[contains(@class,'card') and .//span[@class='patient' and text()='"
                  + key
                  + "']]");
      WebElement alert = wait.until(ExpectedConditions.visibilityOfElementLocated(card));
      WebElement late = alert.findElement(By.className("late"));
      assertTrue(late.isDisplayed(), "the late-data line is shown");
      String local =
          (String)
              ((JavascriptExecutor) browser)
                  .executeScript(
                      "return new Date(arguments[0]).toLocaleTimeString([],"
                          + " {hour: '2-digit', minute: '2-digit'});",
                      t.toString());
      assertTrue(
          late.getText().startsWith("Late data: readings for the window ending"), late.getText());
      assertTrue(late.getText().contains(local), late.getText() + " should name " + local);
      assertTrue(late.getText().contains("revision 1"), late.getText());
      assertTrue(
          alert.getText().contains("NEWS2 2"), "numbers of the newest window: " + alert.getText());
    } finally {
      browser.manage().deleteAllCookies();
    }
  }

  @Test
  void shouldShowAMediumAlertThatClearedByItselfAsSuchInTheListAndTheJson(TestKafka kafka)
      throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    // The lists are re-rendered on live updates: an element found may be replaced before it is
    // read.
    wait.ignoring(StaleElementReferenceException.class);
    browser.manage().deleteAllCookies();
    try {
      browser.get(app.base.resolve("/").toString());
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
      browser.findElement(By.id("username")).sendKeys(AlertsApp.ADA);
      browser.findElement(By.id("password")).sendKeys(AlertsApp.ADA_PASSWORD);
      browser.findElement(By.id("login-button")).click();
      wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
      browser.findElement(By.id("tab-alerts")).click();

      PatientKey patient = PatientKeys.of(tenant, "bed-9");
      String key = PatientKeys.format(patient);
      Instant t = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS);
      kafka.produce(Topics.PATIENTS_CONTEXT, Map.of(patient, Scores.context(t, "ward-1")));
      kafka.produce(Topics.RISK_SCORES, Map.of(patient, Scores.score(t, 0.1, 5)));
      kafka.produce(Topics.RISK_SCORES, Map.of(patient, Scores.score(t.plusSeconds(3600), 0.1, 2)));
      kafka.produce(Topics.RISK_SCORES, Map.of(patient, Scores.score(t.plusSeconds(7200), 0.1, 2)));

      By card =
          By.xpath(
              "//li[contains(@class,'card') and .//span[@class='patient' and text()='"
                  + key
                  + "']]");
      wait.until(
          d ->
              d.findElements(card).stream()
                  .anyMatch(c -> c.getText().contains("Cleared by itself at")));
      WebElement alert = browser.findElement(card);
      assertTrue(alert.getText().contains("MEDIUM"), alert.getText());
      assertTrue(alert.getText().contains("never acknowledged"), alert.getText());
      assertTrue(alert.getText().contains("leaves the list at"), alert.getText());
      assertFalse(alert.findElement(By.cssSelector("button.ack")).isDisplayed(), "nothing to do");

      Browserless ada = new Browserless(app.base);
      assertEquals(200, ada.login(AlertsApp.ADA, AlertsApp.ADA_PASSWORD).statusCode());
      String json = ada.get("/api/alerts").body();
      int at = json.indexOf("\"patient\":\"" + key + "\"");
      assertTrue(at > 0, json);
      String own = json.substring(json.lastIndexOf("\"alertId\"", at), json.indexOf("}", at));
      assertTrue(own.contains("\"status\":\"RESOLVED\""), own);
      assertTrue(own.contains("\"clearedBySelf\":true"), own);
      assertTrue(own.contains("\"listedUntil\":"), own);
    } finally {
      browser.manage().deleteAllCookies();
    }
  }
}
