package io.vigil.alerts.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vigil.alerts.Scores;
import io.vigil.alerts.policy.AlertBudget;
import io.vigil.alerts.policy.PolicyBook;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.BudgetObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * What the budget observer remembers of each patient of a budget team under the real topology: the
 * last first score's window, one row per patient in {@code alerts-budget-patients} and one in the
 * index by window end, both dropped once the patient sent no new window for the patient expiry of
 * event time.
 */
class BudgetPatientsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final Duration EXPIRY = Duration.ofDays(2);

  private static Instant hour(int h) {
    return T0.plusSeconds(3600L * h);
  }

  @Test
  void shouldForgetOnlyThePatientsWithoutANewWindowForThePatientExpiry() throws Exception {
    TeamPolicy defaults = TeamPolicy.defaults();
    PolicyBook book =
        new PolicyBook(defaults, Map.of("clinic-a/ward-1", defaults.withBudget(AlertBudget.of(1))));
    LifecycleConfig settings =
        LifecycleConfig.defaults(book)
            .withFallbackTeam("ward-1")
            .withTimers(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ZERO)
            .withPatientExpiry(EXPIRY);
    try (LifecycleDriver d = new LifecycleDriver(settings)) {
      for (int h = 0; h <= 3; h++) {
        score(d, List.of("early", "steady-1", "steady-2"), hour(h));
      }
      assertEquals(
          Map.of(
              "early", hour(3),
              "steady-1", hour(3),
              "steady-2", hour(3)),
          rows(d),
          "one row per patient, moved to each new window");

      // "edge" last sends exactly the expiry before the purge at hour 53, "just-over" 1 ms earlier.
      score(d, List.of("edge"), hour(5));
      score(d, List.of("just-over"), hour(5).minusMillis(1));
      for (int h = 4; h <= 53; h++) {
        score(d, List.of("steady-1", "steady-2"), hour(h));
      }
      assertEquals(
          Map.of(
              "edge", hour(5),
              "steady-1", hour(53),
              "steady-2", hour(53)),
          rows(d),
          "silent for more than the expiry: forgotten; for exactly the expiry: kept");

      score(d, List.of("early"), hour(54));
      BudgetObservation back =
          patients(d).get(PatientKeys.format(LifecycleDriver.patient("early")));
      assertNull(back.getPreviousRisk(), "a forgotten patient sending again starts afresh");
      assertEquals(0, back.getMonitoredMillis());
    }
  }

  private static void score(LifecycleDriver d, List<String> patients, Instant windowEnd) {
    for (String id : patients) {
      d.score(LifecycleDriver.patient(id), Scores.score(windowEnd, 0.1, 0));
    }
  }

  private static KeyValueStore<String, BudgetObservation> patients(LifecycleDriver d) {
    return d.driver.getKeyValueStore(AlertsTopology.BUDGET_PATIENTS_STORE);
  }

  /**
   * Each remembered patient (id) and the window end the index holds for it; fails when the index
   * and the patients' rows disagree or the index holds a patient twice.
   */
  private static Map<String, Instant> rows(LifecycleDriver d) {
    Map<String, Instant> byPatient = new TreeMap<>();
    try (KeyValueIterator<String, BudgetObservation> it = patients(d).all()) {
      it.forEachRemaining(kv -> byPatient.put(kv.key, kv.value.getWindowEnd()));
    }
    Map<String, Instant> indexed = new TreeMap<>();
    KeyValueStore<String, String> ends =
        d.driver.getKeyValueStore(AlertsTopology.BUDGET_ENDS_STORE);
    try (KeyValueIterator<String, String> it = ends.all()) {
      it.forEachRemaining(
          kv -> {
            long end = Long.parseLong(kv.key.substring(0, kv.key.indexOf(StoreKeys.SEP)));
            assertNull(indexed.put(kv.value, Instant.ofEpochMilli(end)), "indexed twice");
          });
    }
    assertEquals(byPatient, indexed, "the index by window end follows the patients' rows");
    Map<String, Instant> ids = new TreeMap<>();
    byPatient.forEach((patient, end) -> ids.put(PatientKeys.parse(patient).getPatientId(), end));
    return ids;
  }
}
