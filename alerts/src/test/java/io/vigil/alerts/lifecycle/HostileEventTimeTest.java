package io.vigil.alerts.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.common.PatientKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scores written straight to {@code risk.scores} with an event time no scoring instance writes
 * (found by the generated hostile-input property on a real broker, where a window ending in the
 * year 292278994 failed the lifecycle's stream thread on the same record forever): they are set
 * aside and change nothing, and the patient's next real score is judged as usual.
 */
class HostileEventTimeTest {
  private static final Instant T0 = LifecycleDriver.WALL.minus(Duration.ofHours(2));

  @Test
  void shouldSetAsideScoresFromTheFarFutureOrBefore1970AndJudgeTheNextOne() throws Exception {
    try (LifecycleDriver d = new LifecycleDriver()) {
      PatientKey p = LifecycleDriver.patient("bed-hostile");
      d.contexts.pipeInput(p, Scores.context(T0, "ward-1"));
      for (Instant impossible :
          List.of(
              Instant.ofEpochMilli(Long.MAX_VALUE - 10_000),
              Instant.now().plus(Duration.ofDays(1)),
              Instant.ofEpochMilli(-3_600_000))) {
        d.scores.pipeInput(p, Scores.score(impossible, 0.99, 9), LifecycleDriver.WALL);
      }
      assertTrue(d.drain().isEmpty(), "no alert from a score with an impossible window end");

      d.score(p, Scores.score(T0, 0.2, 8));
      List<AlertEvent> events = d.drain();
      assertEquals(AlertEventType.RAISED, events.get(0).getType());
      assertEquals(T0, events.get(0).getWindowEnd());
    }
  }

  @Test
  void shouldKeepEventTimesWithinTheClockSkewOfThisService() {
    long now = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();
    assertEquals(null, EventTimeExtractor.problem(Instant.ofEpochMilli(now).plusSeconds(599), now));
    assertTrue(
        EventTimeExtractor.problem(Instant.ofEpochMilli(now).plusSeconds(601), now)
            .contains("more than 10 minutes ahead"));
    assertTrue(EventTimeExtractor.problem(Instant.ofEpochMilli(-1), now).contains("before 1970"));
  }
}
