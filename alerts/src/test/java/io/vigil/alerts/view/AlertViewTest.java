package io.vigil.alerts.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.config.ConfigContext;
import io.vigil.alerts.lifecycle.LifecycleConfig;
import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.alerts.AlertPriority;
import io.vigil.schemas.alerts.ResolveOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the nurse's list and the view's memory hold as time passes. */
class AlertViewTest {
  private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");
  private static final Set<String> WARD = Set.of("clinic-a/ward-1");
  private ApplicationContext ctx;
  private AlertView view;

  @BeforeEach
  void setUp() {
    ctx = ConfigContext.start(Map.of());
    view =
        new AlertView(ctx.getBean(AlertsConfig.class), Duration.ofMinutes(30), Duration.ofDays(30));
  }

  @AfterEach
  void tearDown() {
    ctx.close();
  }

  private static AlertEvent event(
      String alertId,
      int seq,
      AlertEventType type,
      AlertPriority priority,
      String actor,
      Instant time,
      Boolean cleared,
      String note) {
    return AlertEvent.newBuilder()
        .setEventId(alertId + "/" + seq)
        .setAlertId(alertId)
        .setType(type)
        .setCause(priority == AlertPriority.HIGH ? AlertCause.NEWS2_HIGH : AlertCause.NEWS2_MEDIUM)
        .setCategory(AlertCategory.CLINICAL)
        .setPriority(priority)
        .setCareTeam("ward-1")
        .setTier(0)
        .setActor(actor)
        .setTime(time)
        .setNews2Total(priority == AlertPriority.HIGH ? 8 : 5)
        .setWindowEnd(T)
        .setConditionCleared(cleared)
        .setNote(note)
        .build();
  }

  private void raise(String alertId, AlertPriority priority) {
    view.apply(
        "clinic-a/p-" + alertId,
        event(alertId, 1, AlertEventType.RAISED, priority, "vigil-alerts", T, null, null));
  }

  private List<String> listed(Instant now) {
    return view.listFor(WARD, now).stream().map(AlertSummary::alertId).toList();
  }

  @Test
  void shouldKeepAMediumAlertThatClearedByItselfListedAndMarkedForThirtyMinutesThenDropIt() {
    raise("medium", AlertPriority.MEDIUM);
    Instant cleared = T.plus(Duration.ofHours(2));
    view.apply(
        "clinic-a/p-medium",
        event(
            "medium",
            2,
            AlertEventType.RESOLVED,
            AlertPriority.MEDIUM,
            LifecycleConfig.SYSTEM_ACTOR,
            cleared,
            true,
            "condition cleared for 2 consecutive windows by itself, never acknowledged"));

    AlertSummary shown = view.listFor(WARD, cleared.plusSeconds(60)).get(0);
    assertEquals("RESOLVED", shown.status());
    assertTrue(shown.clearedBySelf(), "marked as cleared by itself");
    assertEquals(cleared.plus(Duration.ofMinutes(30)), shown.listedUntil());
    assertEquals(List.of("medium"), listed(cleared.plus(Duration.ofMinutes(29))));
    assertEquals(List.of(), listed(cleared.plus(Duration.ofMinutes(31))), "dropped after 30 min");
    assertEquals(List.of(), view.openFor(WARD), "not an open alert");
  }

  @Test
  void shouldNotListAlertsANurseResolvedOrAcknowledgedAsClearedByThemselves() {
    raise("by-nurse", AlertPriority.MEDIUM);
    view.apply(
        "clinic-a/p-by-nurse",
        event("by-nurse", 2, AlertEventType.RESOLVED, AlertPriority.MEDIUM, "ada", T, null, null));
    raise("latched", AlertPriority.HIGH);
    view.apply(
        "clinic-a/p-latched",
        event("latched", 2, AlertEventType.ACKNOWLEDGED, AlertPriority.HIGH, "ada", T, true, null));
    view.apply(
        "clinic-a/p-latched",
        event(
            "latched",
            3,
            AlertEventType.RESOLVED,
            AlertPriority.HIGH,
            LifecycleConfig.SYSTEM_ACTOR,
            T,
            true,
            "latched alert acknowledged after its condition had cleared"));
    assertEquals(List.of(), listed(T.plusSeconds(60)));
    assertFalse(view.find("latched").orElseThrow().clearedBySelf());
    assertNull(view.find("latched").orElseThrow().listedUntil());
  }

  @Test
  void shouldForgetResolvedAlertsAfterThePatientExpiryAndExpiredPatientsAtOnce() {
    raise("old", AlertPriority.MEDIUM);
    view.apply(
        "clinic-a/p-old",
        event("old", 2, AlertEventType.RESOLVED, AlertPriority.MEDIUM, "ada", T, null, null));
    raise("open", AlertPriority.HIGH);
    raise("expired", AlertPriority.HIGH);
    view.apply(
        "clinic-a/p-expired",
        event(
            "expired",
            2,
            AlertEventType.RESOLVED,
            AlertPriority.HIGH,
            LifecycleConfig.SYSTEM_ACTOR,
            T.plus(Duration.ofDays(30)),
            null,
            LifecycleConfig.EXPIRED_NOTE + ": no risk score since " + T));
    assertTrue(view.find("expired").isEmpty(), "an expired patient's alert is forgotten at once");

    assertEquals(0, view.forget(T.plus(Duration.ofDays(29))));
    assertTrue(view.find("old").isPresent(), "kept for its history until the expiry");
    assertEquals(1, view.forget(T.plus(Duration.ofDays(30)).plusSeconds(1)));
    assertTrue(view.find("old").isEmpty());
    assertTrue(view.find("open").isPresent(), "an open alert is never forgotten by the view");
    assertEquals(1, view.size());
  }

  @Test
  void shouldCountResolveOutcomesPerTeamAndCauseOnceEachAndKeepThemWhenTheAlertIsForgotten() {
    for (String id : List.of("a1", "a2", "a3")) {
      raise(id, AlertPriority.MEDIUM);
    }
    raise("h1", AlertPriority.HIGH);
    ResolveOutcome[] outcomes = {
      ResolveOutcome.FALSE_ALARM_ARTEFACT,
      ResolveOutcome.FALSE_ALARM_ARTEFACT,
      ResolveOutcome.ESCALATED_TO_CLINICIAN
    };
    for (int i = 0; i < 3; i++) {
      AlertEvent resolved =
          AlertEvent.newBuilder(
                  event(
                      "a" + (i + 1),
                      2,
                      AlertEventType.RESOLVED,
                      AlertPriority.MEDIUM,
                      "ada",
                      T,
                      null,
                      null))
              .setOutcome(outcomes[i])
              .build();
      view.apply("clinic-a/p-a" + (i + 1), resolved);
      view.apply("clinic-a/p-a" + (i + 1), resolved); // the same event again counts once
    }
    // Resolved by the service, without an outcome: not counted.
    view.apply(
        "clinic-a/p-h1",
        event("h1", 2, AlertEventType.RESOLVED, AlertPriority.HIGH, "vigil-alerts", T, true, null));
    assertEquals(
        List.of(
            new AlertView.OutcomeCount(
                "clinic-a/ward-1", "NEWS2_MEDIUM", "ESCALATED_TO_CLINICIAN", 1),
            new AlertView.OutcomeCount(
                "clinic-a/ward-1", "NEWS2_MEDIUM", "FALSE_ALARM_ARTEFACT", 2)),
        view.outcomesFor(WARD));
    assertEquals(List.of(), view.outcomesFor(Set.of("clinic-b/ward-1")), "another tenant's team");
    assertEquals(4, view.forget(T.plus(Duration.ofDays(31))), "the alerts are forgotten");
    assertEquals(2, view.outcomesFor(WARD).size(), "their counts stay");
  }
}
