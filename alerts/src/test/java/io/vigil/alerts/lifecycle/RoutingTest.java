package io.vigil.alerts.lifecycle;

import static io.vigil.alerts.lifecycle.Core.NOW;
import static io.vigil.alerts.lifecycle.Core.types;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.alerts.Scores;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The routing part of the lifecycle core: the care team, and moving alerts with the patient. */
class RoutingTest {

  @Test
  void shouldFallBackWithoutAContextOrTeam() {
    assertEquals("ward-1", Routing.teamOf(null, "ward-1"));
    assertEquals("ward-1", Routing.teamOf(Scores.context(Instant.EPOCH), "ward-1"));
    assertEquals("icu", Routing.teamOf(Scores.context(Instant.EPOCH, "icu", "cardio"), "ward-1"));
  }

  @Test
  void shouldMoveOpenAlertsButNotADeliveryFailureToTheNewTeam() {
    Core c = new Core();
    AlertEvent raised = c.score(0, 0.1, 7, NOW).get(0);
    c.apply(new LifecycleInput.DeliveryFailed(raised), NOW + 1);
    int tier = c.alert(AlertCause.NEWS2_HIGH).tier();
    long deadline = c.alert(AlertCause.NEWS2_HIGH).deadline();
    List<AlertEvent> moved =
        c.apply(new LifecycleInput.Context(Scores.context(Instant.EPOCH, "cardio")), NOW + 2);
    assertEquals(List.of(AlertEventType.NOTIFIED), types(moved));
    assertEquals(
        "care team cardio notified: the patient's care team is now cardio (was ward-1)",
        moved.get(0).getNote());
    assertEquals("cardio", c.alert(AlertCause.NEWS2_HIGH).careTeam());
    assertEquals(tier, c.alert(AlertCause.NEWS2_HIGH).tier(), "not an escalation");
    assertEquals(deadline, c.alert(AlertCause.NEWS2_HIGH).deadline());
    assertEquals("ward-1", c.alert(AlertCause.DELIVERY_FAILED).careTeam());
    assertEquals(
        List.of(),
        c.apply(new LifecycleInput.Context(Scores.context(Instant.EPOCH, "cardio")), NOW + 3),
        "the same team again moves nothing");
    assertEquals(List.of("cardio"), c.state.context().getCareTeams());
  }
}
