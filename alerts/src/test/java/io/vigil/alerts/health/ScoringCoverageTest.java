package io.vigil.alerts.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.health.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoringCoverageTest {
  private static final Instant T = Instant.parse("2026-01-10T08:00:00Z");
  private static final Duration INTERVAL = Duration.ofSeconds(10);

  /** An instance is silent once its last report is older than three intervals plus the skew. */
  private static final Duration SILENT = INTERVAL.multipliedBy(3).plus(ScoringCoverage.SKEW);

  private final ScoringCoverage coverage =
      new ScoringCoverage("vigil-scoring", Duration.ofMinutes(10));

  @Test
  void shouldBeCompleteWhenTheInstancesTogetherScoreEveryPartition() {
    coverage.apply(report("a", T, "RUNNING", true, List.of(0, 1, 2)));
    coverage.apply(report("b", T, "RUNNING", true, List.of(3, 4, 5)));
    ScoringCoverage.Verdict v = coverage.at(T.plusSeconds(1));
    assertTrue(v.complete());
    assertEquals(6, v.expected());
    assertEquals(0, v.unscored());
    assertEquals(List.of(), v.problems());
  }

  @Test
  void shouldCountAnInstanceSilentOnlyAfterThreeIntervalsAndTheSkew() {
    coverage.apply(report("a", T, "RUNNING", true, List.of(0, 1, 2)));
    coverage.apply(report("b", T, "RUNNING", true, List.of(3, 4, 5)));
    coverage.apply(report("a", T.plus(SILENT), "RUNNING", true, List.of(0, 1, 2)));
    assertTrue(coverage.at(T.plus(SILENT)).complete(), "b's report is exactly at the limit");
    ScoringCoverage.Verdict v = coverage.at(T.plus(SILENT).plusMillis(1));
    assertFalse(v.complete());
    assertEquals(3, v.unscored());
    assertEquals(List.of("b silent since " + T), v.problems());
  }

  @Test
  void shouldNotCountThePartitionsOfAnInstanceThatIsNotProcessing() {
    coverage.apply(report("a", T, "RUNNING", true, List.of(0, 1, 2)));
    ServiceStatus failing = report("b", T, "RUNNING", false, List.of(3, 4, 5));
    failing.setReason("stream threads keep failing");
    coverage.apply(failing);
    ScoringCoverage.Verdict v = coverage.at(T);
    assertEquals(3, v.unscored());
    assertEquals(List.of("b: stream threads keep failing"), v.problems());
  }

  @Test
  void shouldExpectThePartitionsStillWhenTheOnlyInstanceStopped() {
    coverage.apply(report("a", T, "RUNNING", true, List.of(0, 1, 2, 3, 4, 5)));
    coverage.apply(report("a", T.plusSeconds(5), "STOPPED", false, List.of()));
    ScoringCoverage.Verdict v = coverage.at(T.plusSeconds(6));
    assertEquals(6, v.unscored());
    assertEquals(List.of(), v.problems(), "a planned stop is not a fault of the instance");
    assertEquals(6, coverage.at(T.plus(SILENT).plusSeconds(60)).unscored(), "nor forgotten");
  }

  @Test
  void shouldKeepTheNewestReportOfAnInstanceWhateverTheOrderTheyArrive() {
    coverage.apply(report("a", T.plusSeconds(10), "RUNNING", true, List.of(0, 1, 2, 3, 4, 5)));
    coverage.apply(report("a", T, "RUNNING", false, List.of()));
    assertTrue(coverage.at(T.plusSeconds(11)).complete());
  }

  @Test
  void shouldIgnoreOtherApplicationsAndServices() {
    ServiceStatus other = report("x", T, "RUNNING", true, List.of());
    other.setApplication("another-scoring");
    coverage.apply(other);
    ServiceStatus notScoring = report("y", T, "RUNNING", true, List.of());
    notScoring.setService("alerts");
    coverage.apply(notScoring);
    ScoringCoverage.Verdict v = coverage.at(T);
    assertEquals(0, v.expected(), "nothing known: nothing expected");
    assertTrue(v.complete());
  }

  @Test
  void shouldForgetReportsOlderThanTheLookback() {
    coverage.apply(report("a", T, "STOPPED", false, List.of()));
    assertEquals(6, coverage.at(T.plus(Duration.ofMinutes(10))).expected());
    assertEquals(0, coverage.at(T.plus(Duration.ofMinutes(10)).plusMillis(1)).expected());
  }

  @Test
  void shouldCountOnlyPartitionsOfTheInputAndEachOnce() {
    coverage.apply(report("a", T, "RUNNING", true, List.of(0, 1, 2, 3)));
    coverage.apply(report("b", T, "REBALANCING", true, List.of(3, 4, 9)));
    ScoringCoverage.Verdict v = coverage.at(T);
    assertEquals(5, v.covered());
    assertEquals(1, v.unscored());
  }

  private static ServiceStatus report(
      String instance, Instant time, String state, boolean processing, List<Integer> active) {
    return ServiceStatus.newBuilder()
        .setService("scoring")
        .setApplication("vigil-scoring")
        .setInstance(instance)
        .setTime(time)
        .setIntervalMillis(INTERVAL.toMillis())
        .setState(state)
        .setProcessing(processing)
        .setInputTopic("vitals.observations")
        .setInputPartitions(6)
        .setActivePartitions(active)
        .setThreadsAlive(processing ? 1 : 0)
        .setThreadsReplacedRecently(0)
        .setThreadsReplacedLimit(3)
        .build();
  }
}
