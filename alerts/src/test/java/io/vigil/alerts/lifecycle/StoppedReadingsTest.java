package io.vigil.alerts.lifecycle;

import static io.vigil.alerts.lifecycle.Core.NOW;
import static io.vigil.alerts.lifecycle.Core.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.alerts.AlertPriority;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The readings-stopped part of the lifecycle core, at its boundaries (3 h by default). */
class StoppedReadingsTest {
  private static final long AFTER = Duration.ofHours(3).toMillis();

  @Test
  void shouldRaiseExactlyWhenTheTeamsLimitHasPassed() {
    Core c = new Core();
    c.score(0, 0.1, 0, NOW);
    assertEquals(List.of(), c.apply(new LifecycleInput.ReadingsCheck(), NOW + AFTER - 1));
    List<AlertEvent> raised = c.apply(new LifecycleInput.ReadingsCheck(), NOW + AFTER);
    assertEquals(List.of(AlertEventType.RAISED, AlertEventType.NOTIFIED), types(raised));
    assertEquals(AlertCategory.TECHNICAL, raised.get(0).getCategory());
    assertEquals(AlertPriority.LOW, raised.get(0).getPriority());
    assertEquals("no risk score received since 2026-03-01T09:00:00Z", raised.get(0).getNote());
    assertEquals(
        List.of(),
        c.apply(new LifecycleInput.ReadingsCheck(), NOW + 2 * AFTER),
        "one alert while it is open");
  }

  @Test
  void shouldNotJudgeAPatientNeverSeen() {
    Core c = new Core();
    assertEquals(List.of(), c.apply(new LifecycleInput.ReadingsCheck(), NOW + 10 * AFTER));
  }

  @Test
  void shouldResolveWhenScoresResume() {
    Core c = new Core();
    c.score(0, 0.1, 0, NOW);
    c.apply(new LifecycleInput.ReadingsCheck(), NOW + AFTER);
    assertNotNull(c.alert(AlertCause.READINGS_STOPPED));
    List<AlertEvent> resumed = c.score(4, 0.1, 0, NOW + AFTER + 5);
    assertEquals(List.of(AlertEventType.RESOLVED), types(resumed));
    assertEquals("risk scores resumed", resumed.get(0).getNote());
    assertNull(c.alert(AlertCause.READINGS_STOPPED));
    assertFalse(c.state.seen().silenced());
  }

  @Test
  void shouldGiveTheBacklogItsGraceAfterAStart() {
    Duration grace = Duration.ofMinutes(2);
    assertFalse(StoppedReadings.judging(NOW, NOW + grace.toMillis() - 1, grace));
    assertTrue(StoppedReadings.judging(NOW, NOW + grace.toMillis(), grace));
  }
}
