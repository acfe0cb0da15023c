package io.vigil.alerts.lifecycle;

import static io.vigil.alerts.lifecycle.LifecycleDriver.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.schemas.alerts.AlertActionType;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Revised and late risk scores (readings that arrived after their window closed) through the real
 * lifecycle topology: what the care team is told, and what must not happen to an open alert.
 */
class AlertRevisionsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

  private static Instant window(int hour) {
    return T0.plus(Duration.ofHours(hour));
  }

  private static List<AlertEventType> types(List<AlertEvent> events) {
    return events.stream().map(AlertEvent::getType).toList();
  }

  private static AlertState high(LifecycleDriver d, String patient) {
    return d.alerts().get(StoreKeys.alert(patient, AlertCause.NEWS2_HIGH));
  }

  @Test
  void shouldRaiseAnAlertMarkedLateWithTheWindowsOwnTimeWhenARevisionCrossesTheThreshold()
      throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("r1");
      RiskScore first = Scores.score(window(0), 0.1, 3);
      d.score(p, first);
      d.score(p, Scores.score(window(1), 0.1, 2));
      d.score(p, Scores.score(window(2), 0.1, 2));
      assertEquals(List.of(), d.drain());

      d.score(p, Scores.late(Scores.score(window(0), 0.1, 8), 1, 2, first));
      List<AlertEvent> events = d.drain();
      assertEquals(List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED), types(events));
      AlertEvent raised = events.get(0);
      assertEquals(AlertCause.NEWS2_HIGH, raised.getCause());
      assertEquals(8, raised.getNews2Total());
      assertEquals(window(0), raised.getWindowEnd(), "the revised window's end, not now");
      assertEquals(window(0), raised.getTime(), "raised at the evidence's event time");
      assertEquals(Boolean.TRUE, raised.getLateData());
      assertEquals(1, raised.getRevision());
      assertEquals(2, raised.getLateReadings());
      assertTrue(raised.getNote().contains("late readings"), raised.getNote());
      assertTrue(raised.getNote().contains(window(0).toString()), raised.getNote());
      assertTrue(raised.getNote().contains("heart_rate"), raised.getNote());
      AlertEvent notified = events.get(1);
      assertEquals(LifecycleDriver.WALL, notified.getTime(), "the team is told now");
      assertEquals(Boolean.TRUE, notified.getLateData(), "the notification says it is late data");
    }
  }

  @Test
  void shouldMarkAnInOrderAlertAsNotLate() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      d.score(patient("r0"), Scores.score(window(0), 0.1, 8));
      AlertEvent raised = d.drain().get(0);
      assertEquals(Boolean.FALSE, raised.getLateData());
      assertEquals(0, raised.getRevision());
    }
  }

  @Test
  void shouldKeepAnUnacknowledgedAlertOpenWhenARevisionFallsBelowTheThreshold() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("r2");
      RiskScore first = Scores.score(window(0), 0.1, 8);
      d.score(p, first);
      String alertId = d.drain().get(0).getAlertId();

      // The alert's own window, re-scored below the clear level: the nurse is told, not cleared.
      d.score(p, Scores.late(Scores.score(window(0), 0.1, 2), 1, 1, first));
      List<AlertEvent> revised = d.drain();
      assertEquals(List.of(AlertEventType.UPDATED), types(revised));
      assertEquals(alertId, revised.get(0).getAlertId());
      assertEquals(2, revised.get(0).getNews2Total());
      assertEquals(Boolean.TRUE, revised.get(0).getLateData());
      assertTrue(revised.get(0).getNote().contains("stays open"), revised.get(0).getNote());
      assertEquals(AlertStatus.OPEN, high(d, "clinic-a/r2").status());
      assertEquals(0, high(d, "clinic-a/r2").clearCount(), "a revision starts no clearing");

      // One new window below: with two needed to clear, a counted revision would resolve here.
      RiskScore below = Scores.score(window(1), 0.1, 2);
      d.score(p, below);
      assertEquals(List.of(), d.drain());
      d.score(p, Scores.late(Scores.score(window(1), 0.1, 1), 1, 1, below));
      assertEquals(List.of(), d.drain(), "a revision of a window below adds nothing to clearing");
      assertEquals(1, high(d, "clinic-a/r2").clearCount());

      d.score(p, Scores.score(window(2), 0.1, 2));
      List<AlertEvent> cleared = d.drain();
      // Two new windows clear it; unacknowledged and HIGH, it latches until acknowledged.
      assertEquals(List.of(AlertEventType.UPDATED), types(cleared), "two new windows clear it");
      assertEquals(Boolean.TRUE, cleared.get(0).getConditionCleared());
      assertEquals(alertId, cleared.get(0).getAlertId());
    }
  }

  @Test
  void shouldUpdateTheOneAlertWhenTheSameWindowIsRevisedAgainAndIgnoreReplays() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("r3");
      RiskScore first = Scores.score(window(0), 0.1, 2);
      d.score(p, first);
      d.score(p, Scores.score(window(1), 0.1, 2));
      RiskScore rev1 = Scores.late(Scores.score(window(0), 0.1, 7), 1, 1, first);
      RiskScore rev2 = Scores.late(Scores.score(window(0), 0.1, 9), 2, 2, rev1);
      RiskScore rev3 = Scores.late(Scores.score(window(0), 0.1, 9), 3, 1, rev2);
      d.score(p, rev1);
      List<AlertEvent> raised = d.drain();
      assertEquals(List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED), types(raised));
      String alertId = raised.get(0).getAlertId();

      d.score(p, rev2);
      List<AlertEvent> updated = d.drain();
      assertEquals(List.of(AlertEventType.UPDATED), types(updated), "updated, not raised again");
      assertEquals(alertId, updated.get(0).getAlertId());
      assertEquals(9, updated.get(0).getNews2Total());
      assertEquals(2, updated.get(0).getRevision());
      assertEquals(window(0), updated.get(0).getWindowEnd());

      d.score(p, rev2);
      d.score(p, rev1);
      assertEquals(List.of(), d.drain(), "a replayed or superseded revision changes nothing");
      d.score(p, rev3);
      assertEquals(List.of(), d.drain(), "same outcome as the previous revision: no event");
      assertEquals(9, high(d, "clinic-a/r3").news2Total());
      try (var open = d.alerts().all()) {
        assertEquals(StoreKeys.alert("clinic-a/r3", AlertCause.NEWS2_HIGH), open.next().key);
        assertFalse(open.hasNext(), "one open alert, no second one for the revisions");
      }
    }
  }

  @Test
  void shouldNotReraiseAnAlertANurseResolvedWhenARevisionKeepsItsOutcome() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("r4");
      RiskScore first = Scores.score(window(0), 0.1, 8);
      d.score(p, first);
      String alertId = d.drain().get(0).getAlertId();
      Instant t = LifecycleDriver.WALL.plusSeconds(60);
      d.actions.pipeInput(p, Scores.action("seen", alertId, AlertActionType.RESOLVE, "ada", t));
      assertEquals(List.of(AlertEventType.RESOLVED), types(d.drain()));

      d.score(p, Scores.late(Scores.score(window(0), 0.1, 8), 1, 1, first));
      assertEquals(List.of(), d.drain(), "still above as before: nothing new to tell");
    }
  }

  @Test
  void shouldNotClearACurrentAlertThroughRevisionsOfOlderWindows() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("r5");
      RiskScore w1 = Scores.score(window(1), 0.1, 2);
      RiskScore w2 = Scores.score(window(2), 0.1, 2);
      d.score(p, Scores.score(window(0), 0.1, 2));
      d.score(p, w1);
      d.score(p, w2);
      d.score(p, Scores.score(window(3), 0.1, 8));
      String alertId = d.drain().get(0).getAlertId();

      // Two windows below the clear level, but old ones: counted, they would clear the alert.
      d.score(p, Scores.late(Scores.score(window(1), 0.1, 1), 1, 1, w1));
      d.score(p, Scores.late(Scores.score(window(2), 0.1, 0), 1, 2, w2));
      assertEquals(List.of(), d.drain(), "no RESOLVED, no evidence change");
      AlertState state = high(d, "clinic-a/r5");
      assertEquals(AlertStatus.OPEN, state.status());
      assertEquals(0, state.clearCount());
      assertEquals(8, state.news2Total(), "evidence stays the newest window's");
      assertEquals(window(3).toEpochMilli(), state.windowEnd());

      d.score(p, Scores.score(window(4), 0.1, 2));
      assertEquals(List.of(), d.drain());
      d.score(p, Scores.score(window(5), 0.1, 2));
      List<AlertEvent> cleared = d.drain();
      assertEquals(List.of(AlertEventType.UPDATED), types(cleared), "cleared, latched (HIGH)");
      assertEquals(Boolean.TRUE, cleared.get(0).getConditionCleared());
      assertEquals(alertId, cleared.get(0).getAlertId());
    }
  }

  @Test
  void shouldRestartClearingWhenARevisionShowsAWindowOfTheRunWasAboveAfterAll() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("r6");
      d.score(p, Scores.score(window(0), 0.1, 8));
      d.drain();
      RiskScore w1 = Scores.score(window(1), 0.1, 2);
      d.score(p, w1);
      assertEquals(1, high(d, "clinic-a/r6").clearCount());

      d.score(p, Scores.late(Scores.score(window(1), 0.1, 9), 1, 3, w1));
      List<AlertEvent> updated = d.drain();
      assertEquals(List.of(AlertEventType.UPDATED), types(updated));
      assertEquals(window(1), updated.get(0).getWindowEnd(), "newer evidence above the level");
      assertEquals(0, high(d, "clinic-a/r6").clearCount());

      d.score(p, Scores.score(window(2), 0.1, 2));
      assertEquals(List.of(), d.drain(), "one window below after the revision: still open");
      assertNotNull(high(d, "clinic-a/r6"));
    }
  }

  @Test
  void shouldRaiseOnALateFirstScoreOfAnOldWindowWithoutHidingNewerEvidence() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("r7");
      d.score(p, Scores.score(window(5), 0.1, 1));
      d.score(p, Scores.late(Scores.score(window(2), 0.1, 8), 0, 3, null));
      List<AlertEvent> raised = d.drain();
      assertEquals(List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED), types(raised));
      assertEquals(window(2), raised.get(0).getWindowEnd());
      assertEquals(Boolean.TRUE, raised.get(0).getLateData());
      assertEquals(0, raised.get(0).getRevision());

      d.score(p, Scores.score(window(6), 0.1, 9));
      List<AlertEvent> newer = d.drain();
      assertEquals(List.of(AlertEventType.UPDATED), types(newer));
      assertEquals(Boolean.FALSE, newer.get(0).getLateData());

      RiskScore old = Scores.score(window(2), 0.1, 8);
      d.score(p, Scores.late(Scores.score(window(2), 0.1, 10), 1, 1, old));
      assertEquals(List.of(), d.drain(), "an older window does not replace newer evidence");
      AlertState state = high(d, "clinic-a/r7");
      assertEquals(9, state.news2Total());
      assertEquals(window(6).toEpochMilli(), state.windowEnd());
      assertFalse(state.lateData());
    }
  }

  @Test
  void shouldGiveARaisingRevisionItsOwnAlertIdSoAResolvedAlertOfTheWindowIsNotReused()
      throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("r8");
      RiskScore first = Scores.score(window(0), 0.1, 8);
      d.score(p, first);
      String firstId = d.drain().get(0).getAlertId();
      Instant t = LifecycleDriver.WALL.plusSeconds(60);
      d.actions.pipeInput(p, Scores.action("done", firstId, AlertActionType.RESOLVE, "ada", t));
      d.drain();
      RiskScore rev1 = Scores.late(Scores.score(window(0), 0.1, 2), 1, 1, first);
      d.score(p, rev1);
      assertEquals(List.of(), d.drain());
      d.score(p, Scores.late(Scores.score(window(0), 0.1, 8), 2, 1, rev1));
      List<AlertEvent> again = d.drain();
      assertEquals(List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED), types(again));
      assertNotEquals(firstId, again.get(0).getAlertId());
      assertTrue(again.get(0).getEventId().endsWith("/1"));
    }
  }
}
