package io.vigil.alerts.lifecycle;

import static io.vigil.alerts.lifecycle.Core.NOW;
import static io.vigil.alerts.lifecycle.Core.minutes;
import static io.vigil.alerts.lifecycle.Core.types;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.schemas.alerts.AlertActionType;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The escalation part of the lifecycle core: tiers, deadlines, and when nothing happens. */
class EscalationTest {

  private static List<AlertEvent> due(Core c, AlertCause cause, long now) {
    return c.apply(new LifecycleInput.DeadlineDue(cause, c.alert(cause).deadline()), now);
  }

  @Test
  void shouldClimbTheThreeTiersOfAClinicalAlertThenReNotify() {
    Core c = new Core();
    c.score(0, 0.1, 7, NOW);
    long first = NOW + minutes(5);
    List<AlertEvent> charge = due(c, AlertCause.NEWS2_HIGH, first);
    assertEquals(List.of(AlertEventType.ESCALATED, AlertEventType.NOTIFIED), types(charge));
    assertEquals(
        "not acknowledged within PT5M: escalated to charge nurse", charge.get(0).getNote());
    assertEquals(1, charge.get(0).getTier());
    assertEquals(first + minutes(5), c.alert(AlertCause.NEWS2_HIGH).deadline());
    long second = first + minutes(5);
    assertEquals(2, due(c, AlertCause.NEWS2_HIGH, second).get(0).getTier());
    List<AlertEvent> top = due(c, AlertCause.NEWS2_HIGH, second + minutes(5));
    assertEquals(List.of(AlertEventType.NOTIFIED), types(top));
    assertEquals("still not acknowledged: rapid response re-notified", top.get(0).getNote());
    assertEquals(2, c.alert(AlertCause.NEWS2_HIGH).tier());
  }

  @Test
  void shouldStopATechnicalAlertAtTheChargeNurse() {
    Core c = new Core();
    c.score(0, 0.1, 0, NOW);
    long stopped = NOW + Duration.ofHours(3).toMillis();
    c.apply(new LifecycleInput.ReadingsCheck(), stopped);
    long dueAt = stopped + minutes(60);
    assertEquals(dueAt, c.alert(AlertCause.READINGS_STOPPED).deadline(), "LOW: 60 min");
    assertEquals(1, due(c, AlertCause.READINGS_STOPPED, dueAt).get(0).getTier());
    List<AlertEvent> again = due(c, AlertCause.READINGS_STOPPED, dueAt + minutes(60));
    assertEquals(List.of(AlertEventType.NOTIFIED), types(again));
    assertEquals(1, c.alert(AlertCause.READINGS_STOPPED).tier());
  }

  @Test
  void shouldDoNothingForAnAcknowledgedResolvedOrRescheduledAlert() {
    Core c = new Core();
    c.score(0, 0.1, 7, NOW);
    long dueAt = c.alert(AlertCause.NEWS2_HIGH).deadline();
    assertEquals(
        List.of(),
        c.apply(new LifecycleInput.DeadlineDue(AlertCause.NEWS2_HIGH, dueAt - 1), dueAt),
        "another deadline than the alert's");
    c.act(AlertCause.NEWS2_HIGH, AlertActionType.ACKNOWLEDGE, NOW + 1);
    assertEquals(
        List.of(), c.apply(new LifecycleInput.DeadlineDue(AlertCause.NEWS2_HIGH, dueAt), dueAt));
    assertEquals(
        List.of(),
        c.apply(new LifecycleInput.DeadlineDue(AlertCause.LSTM_RISK, dueAt), dueAt),
        "no such alert");
  }
}
