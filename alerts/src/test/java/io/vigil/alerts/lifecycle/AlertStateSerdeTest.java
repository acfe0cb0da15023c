package io.vigil.alerts.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertPriority;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Alert state in the store: the late-data fields survive, and a store of the first layout reads.
 */
class AlertStateSerdeTest {
  private static AlertState state() {
    AlertState s = new AlertState();
    s.alertId = "a-1";
    s.patient = "clinic-a/p1";
    s.cause = AlertCause.NEWS2_HIGH;
    s.category = AlertCategory.CLINICAL;
    s.priority = AlertPriority.HIGH;
    s.careTeam = "ward-1";
    s.seq = 3;
    s.clearCount = 1;
    s.clearFrom = 7_200_000L;
    s.news2Total = 8;
    s.lstmRisk = 0.4;
    s.windowEnd = 3_600_000L;
    s.revision = 2;
    s.lateReadings = 4;
    s.lateData = true;
    s.deadline = 42L;
    return s;
  }

  @Test
  void shouldKeepRevisionLateDataAndTheClearingRun() {
    AlertState read = AlertStateSerde.read(AlertStateSerde.write(state()));
    assertEquals(7_200_000L, read.clearFrom);
    assertEquals(2, read.revision);
    assertEquals(4, read.lateReadings);
    assertTrue(read.lateData());
    assertEquals(42L, read.deadline());
  }

  @Test
  void shouldReadStateWrittenBeforeRevisionsExisted() {
    byte[] current = AlertStateSerde.write(state());
    // The first layout: the same fields without the trailing clearFrom, revision, late readings
    // and late flag (8 + 4 + 4 + 1 bytes), under version byte 1.
    byte[] first = Arrays.copyOf(current, current.length - 17);
    first[0] = 1;
    AlertState read = AlertStateSerde.read(first);
    assertEquals("a-1", read.alertId());
    assertEquals(1, read.clearCount());
    assertEquals(8, read.news2Total());
    assertEquals(42L, read.deadline());
    assertEquals(0L, read.clearFrom);
    assertFalse(read.lateData());
  }
}
