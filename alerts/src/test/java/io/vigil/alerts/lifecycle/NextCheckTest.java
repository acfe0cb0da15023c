package io.vigil.alerts.lifecycle;

import static io.vigil.alerts.lifecycle.Core.NOW;
import static io.vigil.alerts.lifecycle.Core.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.alerts.policy.PolicyBook;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.schemas.alerts.AlertActionType;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link AlertLifecycle#nextCheck}: the adapter checks a patient only at the time it gives, so it
 * must be exactly the first moment at which a readings or expiry check changes the patient, and
 * before it neither check may do anything.
 */
class NextCheckTest {
  private static final long STOPPED = Duration.ofHours(3).toMillis();
  private static final long EXPIRY = Duration.ofDays(30).toMillis();

  /** Both checks at {@code at}: the events, in order. */
  private static List<AlertEventType> check(Core c, long at) {
    List<AlertEventType> events = new java.util.ArrayList<>();
    events.addAll(types(c.apply(new LifecycleInput.ReadingsCheck(), at)));
    events.addAll(types(c.apply(new LifecycleInput.ExpiryCheck(), at)));
    return events;
  }

  @Test
  void shouldGiveNoCheckForAPatientNeverScored() {
    Core c = new Core();
    assertEquals(Long.MAX_VALUE, c.lifecycle.nextCheck(c.state));
  }

  @Test
  void shouldGiveTheFirstMomentEachCheckActsAndNothingBefore() {
    Core c = new Core();
    c.score(0, 0.1, 0, NOW);
    long stopped = c.lifecycle.nextCheck(c.state);
    assertEquals(NOW + STOPPED, stopped, "the team's readings-stopped limit after the last score");
    PatientAlerts before = c.state;
    assertEquals(List.of(), check(c, stopped - 1));
    assertEquals(before, c.state, "a check before it changes nothing");
    assertEquals(
        List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED), check(c, stopped), "at it");

    // With the readings-stopped alert open, only the expiry is left to check.
    long expiry = c.lifecycle.nextCheck(c.state);
    assertEquals(NOW + EXPIRY + 1, expiry, "just past 30 days after the last score arrived");
    assertEquals(List.of(), check(c, expiry - 1));
    assertEquals(List.of(AlertEventType.RESOLVED), check(c, expiry));
    assertEquals(Long.MAX_VALUE, c.lifecycle.nextCheck(c.state), "nothing left of the patient");
  }

  @Test
  void shouldMoveWithEveryScore() {
    Core c = new Core();
    c.score(0, 0.1, 0, NOW);
    c.score(1, 0.1, 0, NOW + Duration.ofMinutes(61).toMillis());
    assertEquals(NOW + Duration.ofMinutes(61).toMillis() + STOPPED, c.lifecycle.nextCheck(c.state));
  }

  @Test
  void shouldLeaveOnlyTheExpiryWhileAPersonSilencedTheStoppedAlert() {
    Core c = new Core();
    c.score(0, 0.1, 0, NOW);
    c.apply(new LifecycleInput.ReadingsCheck(), NOW + STOPPED);
    c.act(AlertCause.READINGS_STOPPED, AlertActionType.RESOLVE, NOW + STOPPED + 1);
    assertTrue(c.state.seen().silenced());
    assertEquals(NOW + EXPIRY + 1, c.lifecycle.nextCheck(c.state));
    assertEquals(List.of(), check(c, NOW + EXPIRY));

    // Scores again: the readings-stopped clock runs from the new score.
    long back = NOW + Duration.ofHours(5).toMillis();
    c.score(5, 0.1, 0, back);
    assertEquals(back + STOPPED, c.lifecycle.nextCheck(c.state));
  }

  @Test
  void shouldFollowTheLimitOfTheTeamThePatientMovesTo() {
    TeamPolicy d = TeamPolicy.defaults();
    TeamPolicy quick = d.toBuilder().readingsStoppedAfter(Duration.ofMinutes(45)).build();
    Core c =
        new Core(
            LifecycleConfig.defaults(new PolicyBook(d, Map.of("clinic-a/icu", quick)))
                .withFallbackTeam("ward-1"));
    c.score(0, 0.1, 0, NOW);
    assertEquals(NOW + STOPPED, c.lifecycle.nextCheck(c.state));
    c.apply(
        new LifecycleInput.Context(Scores.context(Instant.ofEpochMilli(NOW + 1), "icu")), NOW + 1);
    long due = c.lifecycle.nextCheck(c.state);
    assertEquals(NOW + Duration.ofMinutes(45).toMillis(), due);
    assertEquals(List.of(), check(c, due - 1));
    assertEquals(List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED), check(c, due));
    assertNotNull(c.alert(AlertCause.READINGS_STOPPED));
  }
}
