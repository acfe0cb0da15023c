package io.vigil.alerts.lifecycle;

import static io.vigil.alerts.lifecycle.LifecycleDriver.WALL;
import static io.vigil.alerts.lifecycle.LifecycleDriver.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.alerts.Scores;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.common.PatientKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle's clock checks (readings stopped, expiry) are driven by a time index of patients
 * ({@link AlertsTopology#CHECKS_STORE}), not by reading every monitored patient on every tick: each
 * patient has exactly one row, at the moment its next check is due, moved by every score, and the
 * tick raises the alerts of exactly the patients whose row came due.
 */
class PatientChecksTest {
  private static final Duration STOPPED = Duration.ofHours(3);
  private static final Duration EXPIRY = Duration.ofDays(30);

  /** The index as patient -> due time; fails when a patient has two rows. */
  private static Map<String, Instant> index(LifecycleDriver d) {
    KeyValueStore<String, String> checks = d.driver.getKeyValueStore(AlertsTopology.CHECKS_STORE);
    Map<String, Instant> rows = new TreeMap<>();
    try (var it = checks.all()) {
      it.forEachRemaining(
          kv -> {
            long due = Long.parseLong(kv.key.substring(0, kv.key.indexOf(StoreKeys.SEP)));
            Instant before = rows.put(kv.value, Instant.ofEpochMilli(due));
            if (before != null) {
              throw new AssertionError(kv.value + " has two rows: " + before + " and " + due);
            }
          });
    }
    return rows;
  }

  @Test
  void shouldKeepOneRowPerPatientAtItsNextCheckAndRaiseExactlyThoseDue() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      Instant window = WALL.minus(Duration.ofHours(1));
      int patients = 300;
      for (int i = 0; i < patients; i++) {
        d.score(patient("p" + i), Scores.score(window, 0.1, 1));
      }
      Map<String, Instant> rows = index(d);
      assertEquals(patients, rows.size());
      rows.values().forEach(due -> assertEquals(WALL.plus(STOPPED), due));

      // An hour later the first ten patients send again: their rows move, nobody gets a second.
      d.driver.advanceWallClockTime(Duration.ofHours(1));
      for (int i = 0; i < 10; i++) {
        d.score(patient("p" + i), Scores.score(window.plus(Duration.ofHours(1)), 0.1, 1));
      }
      rows = index(d);
      assertEquals(patients, rows.size());
      for (int i = 0; i < patients; i++) {
        Instant expected = WALL.plus(STOPPED).plus(Duration.ofHours(i < 10 ? 1 : 0));
        assertEquals(expected, rows.get(PatientKeys.format(patient("p" + i))), "p" + i);
      }
      assertEquals(List.of(), d.drain());

      // Just past 3 h: the 290 silent patients get READINGS_STOPPED, the ten who sent do not.
      d.driver.advanceWallClockTime(Duration.ofHours(2).plusMinutes(1));
      List<AlertEvent> raised =
          d.drain().stream().filter(e -> e.getType() == AlertEventType.RAISED).toList();
      assertEquals(patients - 10, raised.size());
      raised.forEach(e -> assertEquals(AlertCause.READINGS_STOPPED, e.getCause()));
      d.events.readKeyValuesToList();
      rows = index(d);
      assertEquals(patients, rows.size(), "every patient still has one row");
      for (int i = 0; i < patients; i++) {
        PatientKey p = patient("p" + i);
        Instant expected =
            i < 10
                ? WALL.plus(Duration.ofHours(1)).plus(STOPPED)
                : WALL.plus(EXPIRY).plusMillis(1); // alert open: only the expiry is left
        assertEquals(expected, rows.get(PatientKeys.format(p)), "p" + i);
      }

      // The ten come due an hour later, and only they.
      d.driver.advanceWallClockTime(Duration.ofHours(1));
      List<AlertEvent> later =
          d.drain().stream().filter(e -> e.getType() == AlertEventType.RAISED).toList();
      assertEquals(10, later.size());
    }
  }

  @Test
  void shouldRemoveTheRowWithThePatient() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      d.score(patient("gone"), Scores.score(WALL.minus(Duration.ofHours(1)), 0.1, 1));
      d.driver.advanceWallClockTime(EXPIRY.plusMinutes(2));
      assertEquals(Map.of(), index(d), "an expired patient leaves no row behind");
    }
  }
}
