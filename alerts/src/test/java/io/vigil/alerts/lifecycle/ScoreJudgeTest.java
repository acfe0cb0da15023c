package io.vigil.alerts.lifecycle;

import static io.vigil.alerts.lifecycle.Core.NOW;
import static io.vigil.alerts.lifecycle.Core.minutes;
import static io.vigil.alerts.lifecycle.Core.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.schemas.alerts.AlertActionType;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.risk.RiskScore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy part of the lifecycle core: raising, the hysteresis band, clearing and latching. */
class ScoreJudgeTest {

  @Test
  void shouldRaiseNews2HighFromSevenAndMediumBelowIt() {
    Core six = new Core();
    assertEquals(
        List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED), types(six.score(0, 0.1, 6, NOW)));
    assertNotNull(six.alert(AlertCause.NEWS2_MEDIUM));
    assertNull(six.alert(AlertCause.NEWS2_HIGH), "6 is below the HIGH level of 7");

    Core seven = new Core();
    List<AlertEvent> events = seven.score(0, 0.1, 7, NOW);
    assertEquals(List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED), types(events));
    AlertEvent raised = events.get(0);
    assertEquals(AlertCause.NEWS2_HIGH, raised.getCause());
    assertEquals(Core.WINDOW, raised.getTime(), "raised at the window's end");
    assertEquals("ward-1", raised.getCareTeam(), "no context: the fallback team");
    assertNull(seven.alert(AlertCause.NEWS2_MEDIUM), "one NEWS2 alarm at a time");
    assertEquals(NOW + minutes(5), seven.alert(AlertCause.NEWS2_HIGH).deadline());
    assertEquals(new LastSeen(NOW, Core.WINDOW.toEpochMilli(), NOW), seven.state.seen());
    assertNotNull(seven.last.judged(), "kept in the risk history");
  }

  @Test
  void shouldClearOnlyAfterTwoWindowsBelowTheClearLevel() {
    Core c = new Core();
    c.score(0, 0.1, 7, NOW);
    c.act(AlertCause.NEWS2_HIGH, AlertActionType.ACKNOWLEDGE, NOW + 1);
    assertEquals(List.of(), c.score(1, 0.1, 6, NOW + 2), "6 is in the band (7 - margin 1)");
    assertEquals(0, c.alert(AlertCause.NEWS2_HIGH).clearCount());
    assertTrue(c.score(2, 0.1, 5, NOW + 3).isEmpty(), "5 is below 6: the first clearing window");
    assertEquals(1, c.alert(AlertCause.NEWS2_HIGH).clearCount());
    c.score(3, 0.1, 6, NOW + 4);
    assertEquals(0, c.alert(AlertCause.NEWS2_HIGH).clearCount(), "the band restarts clearing");
    c.score(4, 0.1, 3, NOW + 5);
    List<AlertEvent> cleared = c.score(5, 0.1, 3, NOW + 6);
    assertEquals(List.of(AlertEventType.RESOLVED), types(cleared));
    assertEquals("condition cleared for 2 consecutive windows", cleared.get(0).getNote());
    assertNull(c.alert(AlertCause.NEWS2_HIGH));
  }

  @Test
  void shouldLatchAHighAlertNobodyAcknowledged() {
    Core c = new Core();
    c.score(0, 0.1, 7, NOW);
    c.score(1, 0.1, 5, NOW + 1);
    List<AlertEvent> latched = c.score(2, 0.1, 5, NOW + 2);
    assertEquals(List.of(AlertEventType.UPDATED), types(latched));
    assertEquals(Boolean.TRUE, latched.get(0).getConditionCleared());
    assertTrue(c.alert(AlertCause.NEWS2_HIGH).cleared());
    assertEquals(List.of(), c.score(3, 0.1, 5, NOW + 3), "latched: further clear windows wait");
    assertEquals(
        List.of(AlertEventType.ACKNOWLEDGED, AlertEventType.RESOLVED),
        types(c.act(AlertCause.NEWS2_HIGH, AlertActionType.ACKNOWLEDGE, NOW + 4)));
  }

  @Test
  void shouldResolveAMediumAlertThatClearedByItself() {
    Core c = new Core();
    c.score(0, 0.1, 5, NOW);
    c.score(1, 0.1, 3, NOW + 1);
    List<AlertEvent> cleared = c.score(2, 0.1, 3, NOW + 2);
    assertEquals(List.of(AlertEventType.RESOLVED), types(cleared));
    assertTrue(cleared.get(0).getNote().endsWith("by itself, never acknowledged"));
  }

  @Test
  void shouldIgnoreAReplayedScoreAndKeepAnOldOneForTheTrendOnly() {
    Core c = new Core();
    c.score(1, 0.1, 7, NOW);
    RiskScore first = Core.window(1, 0.1, 7);
    PatientAlerts before = c.state;
    assertEquals(List.of(), c.apply(new LifecycleInput.Score(first, first), NOW + 1));
    assertSame(before.seen(), c.state.seen(), "a replay changes nothing");
    assertNull(c.last.judged());

    assertEquals(List.of(), c.score(0, 0.1, 9, NOW + 2), "an older window without late data");
    assertNotNull(c.last.judged(), "kept for the trend");
    assertEquals(9, c.last.judged().getNews2().getTotal());
  }

  @Test
  void shouldJudgeAWindowExactly24HoursOlderThanTheNewestButNotOneOlder() {
    Core c = new Core();
    c.score(24, 0.1, 0, NOW);
    RiskScore atHorizon = Scores.late(Core.window(0, 0.1, 7), 1, 1, null);
    assertEquals(
        List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED),
        types(c.apply(new LifecycleInput.Score(atHorizon, null), NOW + 1)));
    assertTrue(c.alert(AlertCause.NEWS2_HIGH).lateData());

    Core d = new Core();
    d.score(24, 0.1, 0, NOW);
    RiskScore beyond =
        Scores.late(Scores.score(Core.WINDOW.minus(Duration.ofMillis(1)), 0.1, 7), 1, 1, null);
    assertEquals(List.of(), d.apply(new LifecycleInput.Score(beyond, null), NOW + 1));
    assertNull(d.last.judged(), "not judged nor stored");
  }

  @Test
  void shouldLeaveTheGivenStateUnchangedAndGiveTheSameStepTwice() {
    Core c = new Core();
    c.score(0, 0.1, 7, NOW);
    PatientAlerts before = c.state;
    AlertState high = before.alert(AlertCause.NEWS2_HIGH);
    LifecycleInput below = new LifecycleInput.Score(Core.window(1, 0.1, 5), null);
    Step step = c.lifecycle.apply(before, below, NOW + 1);
    assertEquals(1, step.state().alert(AlertCause.NEWS2_HIGH).clearCount());
    assertEquals(0, high.clearCount(), "the given state is not changed");
    assertEquals(NOW, before.seen().seenAt());
    Step again = c.lifecycle.apply(before, below, NOW + 1);
    assertEquals(step.events(), again.events());
    assertEquals(step.state().seen(), again.state().seen());
    assertEquals(1, again.state().alert(AlertCause.NEWS2_HIGH).clearCount());
  }
}
