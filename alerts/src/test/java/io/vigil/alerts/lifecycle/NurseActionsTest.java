package io.vigil.alerts.lifecycle;

import static io.vigil.alerts.lifecycle.Core.NOW;
import static io.vigil.alerts.lifecycle.Core.minutes;
import static io.vigil.alerts.lifecycle.Core.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.schemas.alerts.AlertActionType;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.alerts.ResolveOutcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The nurse-action part of the lifecycle core: acknowledge and resolve. */
class NurseActionsTest {

  @Test
  void shouldStopEscalationWhenAcknowledged() {
    Core c = new Core();
    c.score(0, 0.1, 7, NOW);
    List<AlertEvent> acked = c.act(AlertCause.NEWS2_HIGH, AlertActionType.ACKNOWLEDGE, NOW + 1);
    assertEquals(List.of(AlertEventType.ACKNOWLEDGED), types(acked));
    assertEquals("nurse-1", acked.get(0).getActor());
    assertEquals(Instant.ofEpochMilli(NOW + 1), acked.get(0).getTime(), "the nurse's time");
    AlertState high = c.alert(AlertCause.NEWS2_HIGH);
    assertEquals(AlertStatus.ACKNOWLEDGED, high.status());
    assertEquals(0, high.deadline(), "no escalation pending");
    assertEquals(
        List.of(),
        c.act(AlertCause.NEWS2_HIGH, AlertActionType.ACKNOWLEDGE, NOW + 2),
        "acknowledging twice changes nothing");
  }

  @Test
  void shouldResolveWithTheNursesOutcome() {
    Core c = new Core();
    c.score(0, 0.1, 5, NOW);
    String id = c.alert(AlertCause.NEWS2_MEDIUM).alertId();
    List<AlertEvent> resolved =
        c.apply(
            new LifecycleInput.Action(
                io.vigil.schemas.alerts.AlertAction.newBuilder(
                        Scores.action(
                            "r1",
                            id,
                            AlertActionType.RESOLVE,
                            "nurse-2",
                            Instant.ofEpochMilli(NOW + minutes(3))))
                    .setOutcome(ResolveOutcome.FALSE_ALARM_ARTEFACT)
                    .build()),
            NOW + minutes(3));
    assertEquals(List.of(AlertEventType.RESOLVED), types(resolved));
    assertEquals(ResolveOutcome.FALSE_ALARM_ARTEFACT, resolved.get(0).getOutcome());
    assertEquals("nurse-2", resolved.get(0).getActor());
    assertNull(c.alert(AlertCause.NEWS2_MEDIUM));
  }

  @Test
  void shouldIgnoreAnActionOnAnAlertThatIsNotOpen() {
    Core c = new Core();
    c.score(0, 0.1, 7, NOW);
    List<AlertEvent> none =
        c.apply(
            new LifecycleInput.Action(
                Scores.action(
                    "x", "no-such-alert", AlertActionType.RESOLVE, "n", Instant.ofEpochMilli(NOW))),
            NOW);
    assertEquals(List.of(), none);
    assertEquals(AlertStatus.OPEN, c.alert(AlertCause.NEWS2_HIGH).status());
  }

  @Test
  void shouldSilenceThePatientWhenAPersonResolvesReadingsStopped() {
    Core c = new Core();
    c.score(0, 0.1, 0, NOW);
    long stoppedAt =
        NOW
            + Core.SETTINGS
                .policies()
                .forTeam("clinic-a", "ward-1")
                .readingsStoppedAfter()
                .toMillis();
    c.apply(new LifecycleInput.ReadingsCheck(), stoppedAt);
    c.act(AlertCause.READINGS_STOPPED, AlertActionType.RESOLVE, stoppedAt + 1);
    assertTrue(c.state.seen().silenced());
    assertEquals(NOW, c.state.seen().lastScoreAt(), "the expiry clock still runs from the score");
    assertEquals(
        List.of(),
        c.apply(new LifecycleInput.ReadingsCheck(), stoppedAt + minutes(600)),
        "silenced: not raised again");
  }
}
