package io.vigil.scoring.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.risk.RiskScore;
import io.vigil.scoring.app.ArrivalScenario;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever order a ward's readings arrive in (within the allowed lateness, repeats included), the
 * topology scores the same windows as for arrival in measurement order, each window's final
 * revision equals its in-order score, and revisions are numbered 0, 1, 2... without repeats. Runs
 * the topology in the test driver, with the wall-clock punctuation firing at random points between
 * readings (so windows also close on the wall clock, at points that differ between the orders),
 * then lets the wall clock pass the idle timeout so that every window through the ward's latest
 * reading closes; {@code ArrivalOrderBrokerTest} runs the same property against a real broker.
 *
 * <p>The cases are generated from one seed (the system property {@code vigil.property.seed}, a new
 * one per run by default), printed in each case's name so a failure can be run again.
 */
class ArrivalOrderPropertyTest {

  static Stream<ArrivalScenario.Case> cases() {
    return ArrivalScenario.Case.sample(40, 8, 30, Duration.ofHours(12));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldScoreTheSameWindowsWithTheSameFinalScoresWhateverTheArrivalOrder(
      ArrivalScenario.Case c) {
    // Each patient's own window phase: revisions and late readings on shifted grids.
    ScoringConfig config = ScoringDriver.smallConfig().withWindowPhase(WindowPhase.PATIENT);
    ArrivalScenario ward = c.scenario(ScoringDriver.T0);
    int flushEvery = c.flushEvery();
    long seed = c.seed();

    List<Map.Entry<String, RiskScore>> inOrder = run(config, ward.inOrder(), flushEvery, seed);
    List<Map.Entry<String, RiskScore>> arrived = run(config, ward.arrival(), flushEvery, seed);

    Map<String, RiskScore> expected = ArrivalScenario.finalScores(inOrder);
    Map<String, RiskScore> actual = ArrivalScenario.finalScores(arrived);
    assertEquals(inOrder.size(), expected.size(), "in measurement order nothing is revised");
    assertEquals(
        windows(ward.closedWhenSilent(config, "ward-a")),
        expected.keySet(),
        "every window with data");
    assertEquals(expected.keySet(), actual.keySet(), "the same windows whatever the order");
    for (Map.Entry<String, RiskScore> e : expected.entrySet()) {
      RiskScore want = e.getValue();
      RiskScore got = actual.get(e.getKey());
      // DL4J's float32 results move by an ulp or two with the composition of the batch.
      assertEquals(want.getLstmRisk(), got.getLstmRisk(), 1e-6, e.getKey());
      assertEquals(want.getNews2(), got.getNews2(), e.getKey());
      assertEquals(want.getCompleteness(), got.getCompleteness(), e.getKey());
    }
    assertTrue(arrived.size() >= inOrder.size());
  }

  private static List<Map.Entry<String, RiskScore>> run(
      ScoringConfig config, List<ArrivalScenario.Sent> readings, int flushEvery, long seed) {
    Random random = new Random(seed);
    List<Map.Entry<String, RiskScore>> emitted = new ArrayList<>();
    try (ScoringDriver d = new ScoringDriver(config)) {
      for (ArrivalScenario.Sent s : readings) {
        d.send(s.key("ward-a"), s.reading());
        if (random.nextInt(flushEvery) == 0) {
          d.flush();
        }
      }
      d.flush();
      d.driver.advanceWallClockTime(config.idleTimeout());
      for (var record : d.scores.readKeyValuesToList()) {
        emitted.add(new AbstractMap.SimpleEntry<>(record.key.getPatientId(), record.value));
      }
      d.rejected.readValuesToList().stream()
          .filter(r -> r.getReason() != io.vigil.schemas.vitals.RejectionReason.DUPLICATE)
          .findAny()
          .ifPresent(
              r -> {
                throw new AssertionError("rejected: " + r.getDetail());
              });
    }
    return emitted;
  }

  static TreeSet<String> windows(Map<String, TreeSet<Instant>> due) {
    TreeSet<String> ids = new TreeSet<>();
    new TreeMap<>(due).forEach((patient, ends) -> ends.forEach(e -> ids.add(patient + "@" + e)));
    return ids;
  }
}
