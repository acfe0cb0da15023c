package io.vigil.alerts.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.alerts.policy.AlertBudget;
import io.vigil.alerts.policy.PolicyBook;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.alerts.LstmThresholdSource;
import io.vigil.schemas.alerts.TeamThreshold;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;

/**
 * A care team with an alert budget under the real lifecycle topology: its threshold starts at the
 * model's, moves to the one its patients' scores ask for, slowly, and its LSTM alerts follow it; a
 * team without a budget keeps the model's.
 */
class AlertBudgetTopologyTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final double MODEL = 0.0211;

  private static Instant hour(int h) {
    return T0.plusSeconds(3600L * h);
  }

  private static RiskScore score(int h, double risk) {
    return RiskScore.newBuilder(Scores.score(hour(h), risk, 0)).setLstmThreshold(MODEL).build();
  }

  private static List<AlertEvent> raised(List<AlertEvent> events) {
    return events.stream()
        .filter(e -> e.getType() == AlertEventType.RAISED && e.getCause() == AlertCause.LSTM_RISK)
        .toList();
  }

  @Test
  void shouldMoveTheTeamsThresholdFromTheModelsToTheBudgetsSlowlyAndAlertAgainstIt()
      throws Exception {
    AlertBudget budget = new AlertBudget(0.5, Duration.ofDays(7), Duration.ofHours(1), 0.25, 1);
    TeamPolicy defaults = TeamPolicy.defaults();
    PolicyBook book =
        new PolicyBook(defaults, Map.of("clinic-a/ward-1", defaults.withBudget(budget)));
    LifecycleConfig settings =
        LifecycleConfig.defaults(book)
            .withFallbackTeam("ward-1")
            .withTimers(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ZERO);
    try (LifecycleDriver d = new LifecycleDriver(settings)) {
      TestOutputTopic<String, TeamThreshold> thresholds =
          d.driver.createOutputTopic(
              AlertsTopics.TEAM_THRESHOLDS.name(),
              AlertsTopics.TEAM_THRESHOLDS.keySerde().deserializer(),
              AlertsTopics.TEAM_THRESHOLDS.valueSerde().deserializer());
      PatientKey other = LifecycleDriver.patient("icu-patient");
      d.contexts.pipeInput(other, Scores.context(hour(0), "icu-1"));

      // Ten patients of ward-1 (no context: the fallback team) hover between 0.01 and 0.03 every
      // hour, far more onsets than 0.5 a day at any threshold up to 0.03.
      List<TeamThreshold> seen = new ArrayList<>();
      List<AlertEvent> warmUpAlerts = new ArrayList<>();
      for (int h = 1; h <= 24; h++) {
        for (int p = 0; p < 10; p++) {
          d.score(LifecycleDriver.patient("p" + p), score(h, (h + p) % 2 == 0 ? 0.03 : 0.01));
        }
        List<AlertEvent> events = d.drain();
        if (h == 1) {
          warmUpAlerts.addAll(raised(events));
        }
        seen.addAll(thresholds.readValuesToList());
      }
      assertEquals(5, warmUpAlerts.size(), "at the model's 0.0211 every patient at 0.03 alerts");
      for (AlertEvent e : warmUpAlerts) {
        assertEquals(LstmThresholdSource.MODEL, e.getLstmThresholdSource());
        assertEquals(MODEL, e.getLstmThreshold());
      }

      assertEquals(LstmThresholdSource.MODEL, seen.get(0).getSource(), "warm-up first");
      assertEquals(MODEL, seen.get(0).getThreshold());
      TeamThreshold firstDerived =
          seen.stream()
              .filter(t -> t.getSource() == LstmThresholdSource.BUDGET)
              .findFirst()
              .orElseThrow();
      assertTrue(firstDerived.getPatientDays() >= 1.0, "after 1 patient-day of monitoring");
      double previous = MODEL;
      for (TeamThreshold t : seen) {
        if (t.getSource() == LstmThresholdSource.BUDGET) {
          assertTrue(t.getThreshold() / previous <= 1.25 + 1e-9, "slow: " + t.getThreshold());
          previous = t.getThreshold();
        }
      }
      TeamThreshold latest = seen.get(seen.size() - 1);
      assertEquals("ward-1", latest.getTeam());
      assertEquals(0.5, latest.getBudget());
      assertTrue(latest.getThreshold() > 0.03, "above the hovering: " + latest.getThreshold());
      assertTrue(latest.getObservedRate() <= 0.5, "within the budget: " + latest.getObservedRate());
      assertNotNull(latest.getChangedAt());
      assertTrue(
          seen.stream().filter(t -> t.getSource() == LstmThresholdSource.BUDGET).count() >= 3,
          "recomputed hourly");

      // A new patient of ward-1 at 0.03 no longer alerts; at 0.5 it does, against the budget.
      PatientKey newcomer = LifecycleDriver.patient("p-new");
      d.score(newcomer, score(25, 0.03));
      assertEquals(List.of(), raised(d.drain()), "0.03 is below ward-1's threshold now");
      d.score(newcomer, score(26, 0.5));
      List<AlertEvent> budgetAlert = raised(d.drain());
      assertEquals(1, budgetAlert.size());
      assertEquals(LstmThresholdSource.BUDGET, budgetAlert.get(0).getLstmThresholdSource());
      double inForce =
          ((TeamThreshold)
                  d.driver
                      .getKeyValueStore(AlertsTopology.TEAM_THRESHOLDS_STORE)
                      .get("clinic-a/ward-1"))
              .getThreshold();
      assertEquals(inForce, budgetAlert.get(0).getLstmThreshold());

      // A team without a budget keeps the model's threshold.
      d.score(other, score(26, 0.03));
      List<AlertEvent> icu = raised(d.drain());
      assertEquals(1, icu.size());
      assertEquals("icu-1", icu.get(0).getCareTeam());
      assertEquals(LstmThresholdSource.MODEL, icu.get(0).getLstmThresholdSource());
      assertEquals(MODEL, icu.get(0).getLstmThreshold());
    }
  }
}
