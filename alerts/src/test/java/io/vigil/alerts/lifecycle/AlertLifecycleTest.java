package io.vigil.alerts.lifecycle;

import static io.vigil.alerts.lifecycle.LifecycleDriver.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.schemas.alerts.AcknowledgeReason;
import io.vigil.schemas.alerts.AlertAction;
import io.vigil.schemas.alerts.AlertActionType;
import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.alerts.AlertPriority;
import io.vigil.schemas.alerts.ResolveOutcome;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {
  private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

  private static Instant window(int hour) {
    return T0.plus(Duration.ofHours(hour));
  }

  private static List<AlertEventType> types(List<AlertEvent> events) {
    return events.stream().map(AlertEvent::getType).toList();
  }

  @Test
  void shouldRaiseHighAlertAtNews2SevenAndNotifyThePatientsCareTeam() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("p1");
      d.contexts.pipeInput(p, Scores.context(T0, "cardio", "ward-1"));
      d.score(p, Scores.score(window(0), 0.2, 6));
      List<AlertEvent> first = d.drain();
      assertEquals(List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED), types(first));
      assertEquals(AlertCause.NEWS2_MEDIUM, first.get(0).getCause());
      assertEquals(AlertPriority.MEDIUM, first.get(0).getPriority());

      d.score(p, Scores.score(window(1), 0.2, 7));
      List<AlertEvent> events = d.drain();
      AlertEvent raised = events.get(0);
      assertEquals(AlertEventType.RAISED, raised.getType());
      assertEquals(AlertCause.NEWS2_HIGH, raised.getCause());
      assertEquals(AlertPriority.HIGH, raised.getPriority());
      assertEquals(AlertCategory.CLINICAL, raised.getCategory());
      assertEquals("cardio", raised.getCareTeam());
      assertEquals(0, raised.getTier());
      assertEquals(7, raised.getNews2Total());
      assertEquals(window(1), raised.getTime(), "raised at the evidence's event time");
      assertEquals(AlertEventType.NOTIFIED, events.get(1).getType());
      assertEquals(LifecycleDriver.WALL, events.get(1).getTime(), "notified at wall-clock time");
      // The MEDIUM alert is superseded rather than left open beside the HIGH one.
      assertEquals(AlertEventType.RESOLVED, events.get(2).getType());
      assertEquals(AlertCause.NEWS2_MEDIUM, events.get(2).getCause());
      assertEquals(3, events.size());
    }
  }

  @Test
  void shouldMoveOpenAlertsToTheCareTeamNamedByAContextThatArrivesAfterTheScore() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("p-late-context");
      d.score(p, Scores.score(window(0), 0.9, 8));
      List<AlertEvent> raised = d.drain();
      assertEquals("ward-1", raised.get(0).getCareTeam(), "no context yet: the fallback team");
      String news2 = raised.get(0).getAlertId();
      String lstm =
          raised.stream()
              .filter(e -> e.getCause() == AlertCause.LSTM_RISK)
              .findFirst()
              .orElseThrow()
              .getAlertId();
      d.actions.pipeInput(
          p, Scores.action("a-1", lstm, AlertActionType.ACKNOWLEDGE, "nurse-a", window(0)));
      d.drain();

      d.contexts.pipeInput(p, Scores.context(window(0), "cardio"));
      List<AlertEvent> moved = d.drain();
      assertEquals(
          List.of(AlertEventType.NOTIFIED, AlertEventType.NOTIFIED),
          types(moved),
          "each open alert, acknowledged or not, is notified to the new team once");
      assertTrue(moved.stream().allMatch(e -> "cardio".equals(e.getCareTeam())));
      assertEquals(
          java.util.Set.of(news2, lstm),
          moved.stream().map(AlertEvent::getAlertId).collect(java.util.stream.Collectors.toSet()));
      assertTrue(moved.get(0).getNote().contains("care team is now cardio (was ward-1)"));
      AlertState high =
          d.alerts().get(StoreKeys.alert("clinic-a/p-late-context", AlertCause.NEWS2_HIGH));
      assertEquals("cardio", high.careTeam());
      assertEquals(AlertStatus.OPEN, high.status());
      assertEquals(0, high.tier(), "the move is not an escalation");
      assertEquals(
          AlertStatus.ACKNOWLEDGED,
          d.alerts().get(StoreKeys.alert("clinic-a/p-late-context", AlertCause.LSTM_RISK)).status(),
          "the acknowledgement stands");

      d.contexts.pipeInput(p, Scores.context(window(1), "cardio"));
      assertEquals(List.of(), d.drain(), "the same team again moves nothing");

      d.score(p, Scores.score(window(1), 0.9, 9));
      List<AlertEvent> updated = d.drain();
      assertEquals(AlertEventType.UPDATED, updated.get(0).getType());
      assertEquals("cardio", updated.get(0).getCareTeam(), "later events stay with the new team");
    }
  }

  @Test
  void shouldUpdateTheOpenAlertInsteadOfRaisingItAgain() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("p2");
      d.score(p, Scores.score(window(0), 0.1, 8));
      d.score(p, Scores.score(window(1), 0.1, 9));
      d.score(p, Scores.score(window(2), 0.1, 9));
      List<AlertEvent> events = d.drain();
      assertEquals(
          List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED, AlertEventType.UPDATED),
          types(events));
      assertEquals(9, events.get(2).getNews2Total());
      assertEquals(events.get(0).getAlertId(), events.get(2).getAlertId());
      assertEquals("ward-1", events.get(0).getCareTeam(), "no context: the fallback team");
    }
  }

  @Test
  void shouldNotFlapWhileRiskHoversAtTheThreshold() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("p3");
      double[] hovering = {0.52, 0.48, 0.51, 0.45, 0.50, 0.41, 0.39, 0.45, 0.30};
      for (int h = 0; h < hovering.length; h++) {
        d.score(p, Scores.score(window(h), hovering[h], 0));
      }
      List<AlertEvent> events = d.drain();
      assertEquals(1, events.stream().filter(e -> e.getType() == AlertEventType.RAISED).count());
      assertTrue(events.stream().noneMatch(e -> e.getType() == AlertEventType.RESOLVED));
      assertNotNull(d.alerts().get(StoreKeys.alert("clinic-a/p3", AlertCause.LSTM_RISK)));

      // Two consecutive windows below 0.4 clear it.
      d.score(p, Scores.score(window(20), 0.2, 0));
      List<AlertEvent> cleared = d.drain();
      assertEquals(List.of(AlertEventType.RESOLVED), types(cleared));
      assertEquals(LifecycleConfig.SYSTEM_ACTOR, cleared.get(0).getActor());
      assertNull(d.alerts().get(StoreKeys.alert("clinic-a/p3", AlertCause.LSTM_RISK)));
    }
  }

  @Test
  void shouldIgnoreLateWindowsForThePolicyButNotReRaise() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("p4");
      d.score(p, Scores.score(window(5), 0.1, 1));
      d.score(p, Scores.score(window(2), 0.9, 8));
      assertEquals(List.of(), d.drain(), "a window older than one already judged raises nothing");
    }
  }

  @Test
  void shouldEscalateThroughTiersUntilAcknowledgedThenStop() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("p5");
      d.score(p, Scores.score(window(0), 0.1, 8));
      String alertId = d.drain().get(0).getAlertId();

      d.driver.advanceWallClockTime(Duration.ofMinutes(4).plusSeconds(58));
      assertEquals(List.of(), d.drain(), "not before the HIGH limit of 5 minutes");
      d.driver.advanceWallClockTime(Duration.ofSeconds(3));
      List<AlertEvent> first = d.drain();
      assertEquals(List.of(AlertEventType.ESCALATED, AlertEventType.NOTIFIED), types(first));
      assertEquals(1, first.get(0).getTier());
      assertTrue(first.get(0).getNote().contains("charge nurse"), first.get(0).getNote());

      d.driver.advanceWallClockTime(Duration.ofMinutes(5));
      List<AlertEvent> second = d.drain();
      assertEquals(List.of(AlertEventType.ESCALATED, AlertEventType.NOTIFIED), types(second));
      assertEquals(2, second.get(0).getTier());
      assertTrue(second.get(0).getNote().contains("rapid response"));

      d.driver.advanceWallClockTime(Duration.ofMinutes(5));
      List<AlertEvent> renotified = d.drain();
      assertEquals(List.of(AlertEventType.NOTIFIED), types(renotified), "top tier: re-notified");
      assertEquals(2, renotified.get(0).getTier());

      Instant ackTime = LifecycleDriver.WALL.plus(Duration.ofMinutes(16));
      d.actions.pipeInput(
          p, Scores.action("act-1", alertId, AlertActionType.ACKNOWLEDGE, "nurse.ada", ackTime));
      List<AlertEvent> acked = d.drain();
      assertEquals(List.of(AlertEventType.ACKNOWLEDGED), types(acked));
      assertEquals("nurse.ada", acked.get(0).getActor());
      assertEquals(ackTime, acked.get(0).getTime());

      d.driver.advanceWallClockTime(Duration.ofMinutes(30));
      assertEquals(List.of(), d.drain(), "acknowledged: silenced, no more escalation");
      AlertState state = d.alerts().get(StoreKeys.alert("clinic-a/p5", AlertCause.NEWS2_HIGH));
      assertEquals(AlertStatus.ACKNOWLEDGED, state.status(), "acknowledged is still visible");
    }
  }

  @Test
  void shouldApplyEachActionIdOnlyOnce() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("p6");
      d.score(p, Scores.score(window(0), 0.7, 0));
      String alertId = d.drain().get(0).getAlertId();
      Instant t = LifecycleDriver.WALL.plusSeconds(30);
      d.actions.pipeInput(p, Scores.action("a1", alertId, AlertActionType.ACKNOWLEDGE, "n", t));
      d.actions.pipeInput(p, Scores.action("a1", alertId, AlertActionType.ACKNOWLEDGE, "n", t));
      d.actions.pipeInput(p, Scores.action("a1", alertId, AlertActionType.RESOLVE, "n", t));
      assertEquals(List.of(AlertEventType.ACKNOWLEDGED), types(d.drain()));

      d.actions.pipeInput(p, Scores.action("a2", alertId, AlertActionType.RESOLVE, "n", t));
      d.actions.pipeInput(p, Scores.action("a3", alertId, AlertActionType.ACKNOWLEDGE, "n", t));
      assertEquals(List.of(AlertEventType.RESOLVED), types(d.drain()), "resolved stays resolved");
    }
  }

  @Test
  void shouldRecordTheNursesReasonAndOutcomeOnTheTrail() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("p6b");
      d.score(p, Scores.score(window(0), 0.7, 0));
      String alertId = d.drain().get(0).getAlertId();
      Instant t = LifecycleDriver.WALL.plusSeconds(30);
      d.actions.pipeInput(
          p,
          AlertAction.newBuilder(Scores.action("r1", alertId, AlertActionType.ACKNOWLEDGE, "n", t))
              .setReason(AcknowledgeReason.CHECKING_DEVICE)
              .setNote("strap loose")
              .build());
      AlertEvent acked = d.drain().get(0);
      assertEquals(AlertEventType.ACKNOWLEDGED, acked.getType());
      assertEquals(AcknowledgeReason.CHECKING_DEVICE, acked.getReason());
      assertEquals("strap loose", acked.getNote());
      assertNull(acked.getOutcome());

      d.actions.pipeInput(
          p,
          AlertAction.newBuilder(Scores.action("r2", alertId, AlertActionType.RESOLVE, "n", t))
              .setOutcome(ResolveOutcome.FALSE_ALARM_ARTEFACT)
              .build());
      AlertEvent resolved = d.drain().get(0);
      assertEquals(AlertEventType.RESOLVED, resolved.getType());
      assertEquals(ResolveOutcome.FALSE_ALARM_ARTEFACT, resolved.getOutcome());
      assertNull(resolved.getReason());
    }
  }

  @Test
  void shouldRaiseTechnicalAlertWhenScoresStopAndResolveWhenTheyResume() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("p7");
      d.contexts.pipeInput(p, Scores.context(T0, "ward-2"));
      d.score(p, Scores.score(window(0), 0.1, 1));
      d.driver.advanceWallClockTime(Duration.ofMinutes(179));
      assertEquals(List.of(), d.drain(), "not before 3 h without a score");
      d.driver.advanceWallClockTime(Duration.ofMinutes(2));
      List<AlertEvent> stopped = d.drain();
      assertEquals(List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED), types(stopped));
      assertEquals(AlertCategory.TECHNICAL, stopped.get(0).getCategory());
      assertEquals(AlertCause.READINGS_STOPPED, stopped.get(0).getCause());
      assertEquals(AlertPriority.LOW, stopped.get(0).getPriority());
      assertEquals("ward-2", stopped.get(0).getCareTeam());

      d.driver.advanceWallClockTime(Duration.ofMinutes(10));
      assertEquals(List.of(), d.drain(), "raised once, not every check");

      d.driver.advanceWallClockTime(Duration.ofMinutes(50));
      List<AlertEvent> escalated = d.drain();
      assertEquals(List.of(AlertEventType.ESCALATED, AlertEventType.NOTIFIED), types(escalated));
      assertEquals(1, escalated.get(0).getTier(), "LOW: escalated after 60 min");
      d.driver.advanceWallClockTime(Duration.ofMinutes(61));
      List<AlertEvent> again = d.drain();
      assertEquals(
          List.of(AlertEventType.NOTIFIED),
          types(again),
          "a technical alert stops at the charge nurse, never the rapid response team");
      assertEquals(1, again.get(0).getTier());

      d.score(p, Scores.score(window(4), 0.1, 1));
      List<AlertEvent> resumed = d.drain();
      assertEquals(List.of(AlertEventType.RESOLVED), types(resumed));
      assertEquals(AlertCause.READINGS_STOPPED, resumed.get(0).getCause());
    }
  }

  @Test
  void shouldNotReraiseStoppedReadingsThatANurseResolvedUntilScoresResumeAndStopAgain()
      throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("p7b");
      d.contexts.pipeInput(p, Scores.context(T0, "ward-2"));
      d.score(p, Scores.score(window(0), 0.1, 1));
      d.driver.advanceWallClockTime(Duration.ofMinutes(181));
      List<AlertEvent> stopped = d.drain();
      assertEquals(AlertCause.READINGS_STOPPED, stopped.get(0).getCause());
      String alertId = stopped.get(0).getAlertId();

      Instant t = LifecycleDriver.WALL.plus(Duration.ofMinutes(182));
      d.actions.pipeInput(
          p, Scores.action("discharged", alertId, AlertActionType.RESOLVE, "nurse-1", t));
      assertEquals(List.of(AlertEventType.RESOLVED), types(d.drain()));
      d.driver.advanceWallClockTime(Duration.ofHours(12));
      assertEquals(List.of(), d.drain(), "resolved by a person: not raised again every check");

      d.score(p, Scores.score(window(20), 0.1, 1));
      assertEquals(List.of(), d.drain(), "scores resume: nothing to resolve");
      d.driver.advanceWallClockTime(Duration.ofMinutes(181));
      List<AlertEvent> again = d.drain();
      assertEquals(List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED), types(again));
      assertEquals(AlertCause.READINGS_STOPPED, again.get(0).getCause());
    }
  }

  @Test
  void shouldForgetActionIdsAfterTheActionMemory() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("p6b");
      d.score(p, Scores.score(window(0), 0.7, 0));
      String alertId = d.drain().get(0).getAlertId();
      Instant t = LifecycleDriver.WALL.plusSeconds(30);
      d.actions.pipeInput(p, Scores.action("old", alertId, AlertActionType.ACKNOWLEDGE, "n", t));
      KeyValueStore<String, Long> seen =
          d.driver.getKeyValueStore(AlertsTopology.ACTIONS_SEEN_STORE);
      assertEquals(1, count(seen));
      d.driver.advanceWallClockTime(Duration.ofDays(6));
      assertEquals(1, count(seen), "within 7 days: remembered, a resend is still ignored");
      d.driver.advanceWallClockTime(Duration.ofDays(1).plusHours(1));
      assertEquals(0, count(seen), "after 7 days: forgotten, the store stays bounded");
    }
  }

  private static long count(KeyValueStore<String, Long> store) {
    long n = 0;
    try (var it = store.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  @Test
  void shouldRaiseDeliveryFailedOnceForDeadLettersAndNeverLoop() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("p8");
      d.score(p, Scores.score(window(0), 0.1, 8));
      AlertEvent raised = d.drain().get(0);
      d.deadLetters.pipeInput(p, raised);
      List<AlertEvent> technical = d.drain();
      assertEquals(List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED), types(technical));
      assertEquals(AlertCause.DELIVERY_FAILED, technical.get(0).getCause());
      assertEquals(AlertCategory.TECHNICAL, technical.get(0).getCategory());
      assertTrue(technical.get(0).getNote().contains(raised.getAlertId()));

      d.deadLetters.pipeInput(p, raised);
      assertEquals(List.of(AlertEventType.UPDATED), types(d.drain()), "one open alert per cause");
      d.deadLetters.pipeInput(p, technical.get(0));
      assertEquals(List.of(), d.drain(), "a failed delivery alert raises nothing more");
    }
  }

  @Test
  void shouldRaiseSingleParameterAndLstmAlertsSeparately() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("p9");
      d.score(p, Scores.singleParameter3(window(0)));
      d.score(p, Scores.score(window(1), 0.8, 0));
      List<AlertEvent> raised =
          d.drain().stream().filter(e -> e.getType() == AlertEventType.RAISED).toList();
      assertEquals(
          List.of(AlertCause.NEWS2_SINGLE_PARAMETER, AlertCause.LSTM_RISK),
          raised.stream().map(AlertEvent::getCause).toList());
      assertEquals(0.8, raised.get(1).getLstmRisk());
      assertEquals(AlertPriority.MEDIUM, raised.get(1).getPriority());
    }
  }

  @Test
  void shouldSkipAnUndecodableRecordAndKeepAlerting() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("p10");
      var garbage =
          d.driver.createInputTopic(
              Topics.RISK_SCORES.name(),
              Topics.PATIENT_KEY.serializer(),
              new ByteArraySerializer());
      garbage.pipeInput(p, new byte[] {1, 2, 3});
      d.score(p, Scores.score(window(0), 0.1, 8));
      assertEquals(AlertEventType.RAISED, d.drain().get(0).getType());
    }
  }

  @Test
  void shouldLatchAHighAlertWhoseConditionClearsBeforeAnyoneAcknowledgedIt() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("latch");
      d.score(p, Scores.score(window(0), 0.1, 8));
      String id = d.drain().get(0).getAlertId();
      d.score(p, Scores.score(window(1), 0.1, 2));
      d.score(p, Scores.score(window(2), 0.1, 2));
      List<AlertEvent> cleared = d.drain();
      assertEquals(List.of(AlertEventType.UPDATED), types(cleared), "latched, not resolved");
      assertEquals(Boolean.TRUE, cleared.get(0).getConditionCleared());
      assertTrue(cleared.get(0).getNote().contains("latched until acknowledged"));
      AlertState state = d.alerts().get(StoreKeys.alert("clinic-a/latch", AlertCause.NEWS2_HIGH));
      assertNotNull(state, "still open");
      assertTrue(state.cleared());
      d.score(p, Scores.score(window(3), 0.1, 1));
      assertEquals(List.of(), d.drain(), "further clear windows change nothing");

      d.actions.pipeInput(
          p, Scores.action("a-latch", id, AlertActionType.ACKNOWLEDGE, "ada", window(4)));
      List<AlertEvent> acked = d.drain();
      assertEquals(List.of(AlertEventType.ACKNOWLEDGED, AlertEventType.RESOLVED), types(acked));
      assertEquals("ada", acked.get(0).getActor());
      assertEquals(LifecycleConfig.SYSTEM_ACTOR, acked.get(1).getActor());
      assertNull(d.alerts().get(StoreKeys.alert("clinic-a/latch", AlertCause.NEWS2_HIGH)));
    }
  }

  @Test
  void shouldUnlatchWhenTheConditionReturnsAndResolveAnAcknowledgedHighAlertWhenItClears()
      throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("relatch");
      d.score(p, Scores.score(window(0), 0.1, 8));
      String id = d.drain().get(0).getAlertId();
      d.score(p, Scores.score(window(1), 0.1, 2));
      d.score(p, Scores.score(window(2), 0.1, 2));
      d.drain();
      d.score(p, Scores.score(window(3), 0.1, 9));
      List<AlertEvent> back = d.drain();
      assertEquals(List.of(AlertEventType.UPDATED), types(back));
      assertNull(back.get(0).getConditionCleared(), "no longer cleared");
      d.actions.pipeInput(
          p, Scores.action("a-relatch", id, AlertActionType.ACKNOWLEDGE, "ada", window(4)));
      assertEquals(List.of(AlertEventType.ACKNOWLEDGED), types(d.drain()), "the alarm is live");
      d.score(p, Scores.score(window(5), 0.1, 2));
      d.score(p, Scores.score(window(6), 0.1, 2));
      List<AlertEvent> resolved = d.drain();
      assertEquals(List.of(AlertEventType.RESOLVED), types(resolved), "acknowledged: clears");
      assertNull(resolved.get(0).getConditionCleared());
    }
  }

  @Test
  void shouldLetAMediumAlertClearByItselfAndSaySoInTheAuditTrail() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = patient("medium");
      d.score(p, Scores.score(window(0), 0.1, 5));
      d.drain();
      d.score(p, Scores.score(window(1), 0.1, 2));
      d.score(p, Scores.score(window(2), 0.1, 2));
      List<AlertEvent> events = d.drain();
      assertEquals(List.of(AlertEventType.RESOLVED), types(events));
      assertEquals(AlertPriority.MEDIUM, events.get(0).getPriority());
      assertEquals(Boolean.TRUE, events.get(0).getConditionCleared());
      assertTrue(events.get(0).getNote().contains("by itself, never acknowledged"));
    }
  }
}
