package io.vigil.alerts.lifecycle;

import static io.vigil.alerts.lifecycle.LifecycleDriver.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.alerts.policy.PolicyBook;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * Patients who stopped sending do not stay in the lifecycle's stores for ever: their state goes the
 * configured time after their last risk score arrived, on the wall clock, and the nurse's alerts of
 * them are resolved on the record instead of vanishing.
 */
class PatientExpiryTest {
  private static final Duration EXPIRY = Duration.ofDays(30);

  private static LifecycleDriver driver() throws Exception {
    return new LifecycleDriver(
        LifecycleConfig.defaults(PolicyBook.of(TeamPolicy.defaults()))
            .withFallbackTeam("ward-1")
            .withTimers(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ZERO)
            .withPatientExpiry(EXPIRY));
  }

  private static int rowsOf(KeyValueStore<String, ?> store, String patient) {
    List<String> keys = new ArrayList<>();
    try (var it = store.all()) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    return (int)
        keys.stream()
            .filter(k -> k.equals(patient) || k.startsWith(StoreKeys.patientPrefix(patient)))
            .count();
  }

  @Test
  void shouldRemoveTheStateOfAPatientWhoSentNothingForThirtyDaysAndResolveTheirAlertsOnRecord()
      throws Exception {
    try (LifecycleDriver d = driver()) {
      PatientKey silent = patient("p-silent");
      PatientKey active = patient("p-active");
      String silentKey = PatientKeys.format(silent);
      String activeKey = PatientKeys.format(active);
      Instant t = LifecycleDriver.WALL.minus(Duration.ofHours(3));
      for (int h = 0; h < 3; h++) {
        d.score(silent, Scores.score(t.plus(Duration.ofHours(h)), 0.1, h == 2 ? 8 : 1));
        d.score(active, Scores.score(t.plus(Duration.ofHours(h)), 0.1, 1));
      }
      List<AlertEvent> raised = d.drain();
      assertTrue(
          raised.stream().anyMatch(e -> e.getType() == AlertEventType.RAISED), raised.toString());
      KeyValueStore<String, RiskScore> history =
          d.driver.getKeyValueStore(AlertsTopology.RISK_HISTORY_STORE);
      KeyValueStore<String, LastSeen> lastSeen =
          d.driver.getKeyValueStore(AlertsTopology.LAST_SEEN_STORE);
      assertEquals(3, rowsOf(history, silentKey));
      assertEquals(1, rowsOf(d.alerts(), silentKey));

      // A day before expiry nothing goes; the active patient keeps sending.
      d.driver.advanceWallClockTime(EXPIRY.minusDays(1));
      d.score(active, Scores.score(t.plus(Duration.ofHours(3)), 0.1, 1));
      assertEquals(3, rowsOf(history, silentKey));
      assertTrue(rowsOf(d.alerts(), silentKey) >= 1, "alerts still open a day before expiry");
      d.drain();

      d.driver.advanceWallClockTime(Duration.ofDays(1).plusHours(1));
      // Escalations and a stopped-readings alert may come first; every alert ends resolved.
      java.util.Map<String, AlertEvent> last = new java.util.LinkedHashMap<>();
      d.events.readKeyValuesToList().stream()
          .filter(kv -> kv.key.equals(silent))
          .forEach(kv -> last.put(kv.value.getAlertId(), kv.value));
      assertFalse(last.isEmpty(), "the open alerts are resolved on the trail");
      for (AlertEvent e : last.values()) {
        assertEquals(AlertEventType.RESOLVED, e.getType(), e.toString());
        assertEquals(LifecycleConfig.SYSTEM_ACTOR, e.getActor());
        assertTrue(e.getNote().startsWith(LifecycleConfig.EXPIRED_NOTE), e.getNote());
        assertNull(e.getConditionCleared(), "not a condition that cleared by itself");
      }
      assertEquals(0, rowsOf(history, silentKey), "risk trend removed");
      assertEquals(0, rowsOf(d.alerts(), silentKey), "alert rows removed");
      assertNull(lastSeen.get(silentKey), "last-seen clock removed");
      KeyValueStore<String, String> deadlines =
          d.driver.getKeyValueStore(AlertsTopology.DEADLINES_STORE);
      try (var it = deadlines.all()) {
        it.forEachRemaining(
            kv -> assertFalse(kv.value.startsWith(silentKey), "no escalation timer left"));
      }
      assertEquals(4, rowsOf(history, activeKey), "the patient who still sends keeps hers");
      assertTrue(lastSeen.get(activeKey) != null);

      // Back after the expiry: judged afresh, and the trend starts again.
      d.score(silent, Scores.score(LifecycleDriver.WALL.plus(EXPIRY), 0.1, 8));
      assertTrue(
          d.drain().stream().anyMatch(e -> e.getType() == AlertEventType.RAISED),
          "a returning patient is judged again");
      assertEquals(1, rowsOf(history, silentKey));
    }
  }
}
