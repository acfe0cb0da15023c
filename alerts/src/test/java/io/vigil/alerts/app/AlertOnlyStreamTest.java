package io.vigil.alerts.app;

import static io.vigil.alerts.app.AlertsApp.ADA;
import static io.vigil.alerts.app.AlertsApp.ADA_PASSWORD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.io.Closeable;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * An alert board that shows no ward overview (an outreach team's, a pager bridge) opens the live
 * stream with {@code ?events=alert}: it receives every alert of the nurse's teams and none of the
 * overview's patient rows, which a nurse's full stream carries next to it; an {@code events} value
 * naming anything else is refused with a problem saying what is allowed.
 */
@WithKafka
class AlertOnlyStreamTest {

  @Test
  void theAlertOnlyStreamCarriesTheAlertsOfTheNursesTeamsAndNoPatientRow(TestKafka kafka)
      throws Exception {
    String tenant = TestKafka.unique("kinds");
    PatientKey sick = PatientKeys.of(tenant, "p-sick");
    PatientKey stable = PatientKeys.of(tenant, "p-stable");
    try (AlertsApp app = AlertsApp.start(kafka, tenant, Map.of())) {
      Browserless ada = new Browserless(app.base);
      await().atMost(Duration.ofSeconds(60)).until(() -> ada.get("/health").statusCode() == 200);
      assertEquals(200, ada.login(ADA, ADA_PASSWORD).statusCode());

      HttpResponse<String> refused = ada.get("/api/stream?events=alerts");
      assertEquals(400, refused.statusCode(), refused.body());
      assertTrue(
          refused.headers().firstValue("Content-Type").orElse("").contains("problem+json"),
          refused.headers().toString());
      assertTrue(refused.body().contains("urn:vigil:problem:invalid-events"), refused.body());
      assertTrue(refused.body().contains("'alerts' does not"), refused.body());

      List<String> full = new CopyOnWriteArrayList<>();
      List<String> alertsOnly = new CopyOnWriteArrayList<>();
      List<String> named = new CopyOnWriteArrayList<>();
      try (Closeable a = ada.stream("/api/stream", full);
          Closeable b = ada.stream("/api/stream?events=alert", alertsOnly);
          Closeable c = ada.stream("/api/stream?events=patient,alert", named)) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> ready(full) && ready(alertsOnly) && ready(named));
        app.awaitLifecycleCaughtUp(kafka);
        Instant t = Instant.now().minus(Duration.ofMinutes(30));
        kafka.produce(
            Topics.PATIENTS_CONTEXT,
            Map.of(sick, Scores.context(t, "ward-1"), stable, Scores.context(t, "ward-1")));
        app.awaitLifecycleCaughtUp(kafka);
        kafka.produce(
            Topics.RISK_SCORES,
            Map.of(
                sick, Scores.score(t.plusSeconds(60), 0.3, 8),
                stable, Scores.score(t.plusSeconds(60), 0.01, 0)));

        // The full stream carries both patients' rows and the sick patient's alert.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    rowOf(full, "p-stable")
                        && rowOf(full, "p-sick")
                        && alertOf(full, "p-sick")
                        && rowOf(named, "p-stable")
                        && alertOf(named, "p-sick"));
        await().atMost(Duration.ofSeconds(10)).until(() -> alertOf(alertsOnly, "p-sick"));
        // Rows offered to both streams at once would have reached this one within a second too.
        await()
            .during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(5))
            .until(() -> alertsOnly.stream().noneMatch(l -> l.matches("event: ?patient")));
        assertTrue(
            alertsOnly.stream().noneMatch(l -> l.matches("event: ?patient")),
            "no patient row on the alert-only stream: " + alertsOnly);
        assertTrue(
            alertsOnly.stream().noneMatch(l -> l.contains("p-stable")),
            "nothing of the stable patient: " + alertsOnly);
      }
    }
  }

  private static boolean ready(List<String> lines) {
    return lines.stream().anyMatch(l -> l.matches("event: ?ready"));
  }

  /** Whether an {@code event} line of {@code kind} is followed by data naming the patient. */
  private static boolean eventOf(List<String> lines, String kind, String patient) {
    String event = "";
    for (String l : lines) {
      if (l.startsWith("event:")) {
        event = l.substring(6).strip();
      } else if (l.startsWith("data:") && event.equals(kind) && l.contains("/" + patient)) {
        return true;
      }
    }
    return false;
  }

  private static boolean rowOf(List<String> lines, String patient) {
    return eventOf(lines, "patient", patient);
  }

  private static boolean alertOf(List<String> lines, String patient) {
    return eventOf(lines, "alert", patient);
  }
}
