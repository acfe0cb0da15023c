package io.vigil.alerts.lifecycle;

import static io.vigil.alerts.lifecycle.Core.NOW;
import static io.vigil.alerts.lifecycle.Core.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vigil.alerts.Scores;
import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.alerts.AlertPriority;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The delivery-failure part of the lifecycle core: one DELIVERY_FAILED alert per patient. */
class DeliveryFailuresTest {

  /** The RAISED event of the patient's NEWS2_HIGH alert, as the webhook failed to deliver it. */
  private static AlertEvent failedDelivery(Core c, String team) {
    AlertEvent raised = c.score(0, 0.1, 7, NOW).get(0);
    return AlertEvent.newBuilder(raised).setCareTeam(team).build();
  }

  @Test
  void shouldRaiseForTheTeamWhoseWebhookFailedThenUpdate() {
    Core c = new Core();
    c.apply(new LifecycleInput.Context(Scores.context(Instant.EPOCH, "cardio")), NOW);
    AlertEvent failed = failedDelivery(c, "ward-9");
    List<AlertEvent> raised = c.apply(new LifecycleInput.DeliveryFailed(failed), NOW + 1);
    assertEquals(List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED), types(raised));
    assertEquals("ward-9", raised.get(0).getCareTeam(), "the team whose pager it is about");
    assertEquals(AlertCategory.TECHNICAL, raised.get(0).getCategory());
    assertEquals(AlertPriority.MEDIUM, raised.get(0).getPriority());
    assertEquals(
        "webhook delivery of RAISED for alert " + failed.getAlertId() + " failed",
        raised.get(0).getNote());

    List<AlertEvent> again = c.apply(new LifecycleInput.DeliveryFailed(failed), NOW + 2);
    assertEquals(List.of(AlertEventType.UPDATED), types(again), "one alert, updated");
    assertEquals(raised.get(0).getAlertId(), again.get(0).getAlertId());
  }

  @Test
  void shouldUseThePatientsTeamWhenTheFailedEventNamesNone() {
    Core c = new Core();
    c.apply(new LifecycleInput.Context(Scores.context(Instant.EPOCH, "cardio")), NOW);
    AlertEvent failed = failedDelivery(c, null);
    List<AlertEvent> raised = c.apply(new LifecycleInput.DeliveryFailed(failed), NOW + 1);
    assertEquals("cardio", raised.get(0).getCareTeam());
  }

  @Test
  void shouldNeverAlertAboutTheDeliveryOfADeliveryAlert() {
    Core c = new Core();
    AlertEvent failed = failedDelivery(c, "ward-1");
    List<AlertEvent> raised = c.apply(new LifecycleInput.DeliveryFailed(failed), NOW + 1);
    AlertEvent aboutDeliveryAlert = raised.get(0);
    c.act(AlertCause.DELIVERY_FAILED, io.vigil.schemas.alerts.AlertActionType.RESOLVE, NOW + 2);
    assertEquals(
        List.of(), c.apply(new LifecycleInput.DeliveryFailed(aboutDeliveryAlert), NOW + 3));
    assertNull(c.alert(AlertCause.DELIVERY_FAILED));
  }
}
