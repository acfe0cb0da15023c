package io.vigil.tools.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedPatientTest {
  static final Instant START = Instant.parse("2024-06-01T00:00:00Z");

  static List<SimulatedPatient> cohort() {
    return CohortSimulator.cohort(6, 0.5, START, Duration.ofHours(30), Duration.ofHours(36), 11);
  }

  static double mean(List<SimulatedReading> rs, Vital v) {
    return rs.stream()
        .filter(r -> r.vital() == v)
        .mapToDouble(SimulatedReading::value)
        .average()
        .orElseThrow();
  }

  @Test
  void shouldGiveTheSameReadingsForTheSameSeedWhateverTheRangesAsked() {
    SimulatedPatient p = cohort().get(0);
    List<SimulatedReading> whole = p.readings(START, START.plus(Duration.ofHours(6)));
    List<SimulatedReading> pieces =
        new ArrayList<>(p.readings(START, START.plus(Duration.ofMinutes(125))));
    pieces.addAll(p.readings(START.plus(Duration.ofMinutes(125)), START.plus(Duration.ofHours(6))));
    assertEquals(whole, pieces);
    assertEquals(whole, cohort().get(0).readings(START, START.plus(Duration.ofHours(6))));
  }

  @Test
  void shouldLookLikeAWearableMinuteStream() {
    SimulatedPatient p = cohort().get(5);
    assertNull(p.episode());
    List<SimulatedReading> day = p.readings(START, START.plus(Duration.ofHours(24)));
    long hr = day.stream().filter(r -> r.vital() == Vital.HEART_RATE).count();
    long bp = day.stream().filter(r -> r.vital() == Vital.SYSTOLIC_BP).count();
    assertTrue(hr > 1000 && hr < 1440, "minute heart rate with some dropouts: " + hr);
    assertTrue(bp >= 3 && bp <= 6, "blood pressure every 4 h: " + bp);
    assertTrue(day.stream().allMatch(r -> r.vital().isPlausible(r.value())));
    double night =
        mean(
            p.readings(START.plus(Duration.ofHours(3)), START.plus(Duration.ofHours(5))),
            Vital.HEART_RATE);
    double afternoon =
        mean(
            p.readings(START.plus(Duration.ofHours(15)), START.plus(Duration.ofHours(17))),
            Vital.HEART_RATE);
    assertTrue(
        afternoon > night + 3, "circadian rhythm: night " + night + ", afternoon " + afternoon);
  }

  @Test
  void shouldDeteriorateFromTheKnownOnset() {
    for (SimulatedPatient p : cohort().subList(0, 3)) {
      Episode e = p.episode();
      assertNotNull(e);
      List<SimulatedReading> before = p.readings(e.onset().minus(Duration.ofHours(6)), e.onset());
      Instant full = e.onset().plus(e.ramp());
      List<SimulatedReading> after = p.readings(full, full.plus(Duration.ofHours(6)));
      double shift = mean(after, Vital.HEART_RATE) - mean(before, Vital.HEART_RATE);
      assertTrue(shift > 12, e.type() + " raises heart rate, got " + shift);
      if (e.type() == EpisodeType.RESPIRATORY) {
        assertTrue(
            mean(after, Vital.OXYGEN_SATURATION) < mean(before, Vital.OXYGEN_SATURATION) - 5);
      } else if (e.type() == EpisodeType.SEPSIS) {
        assertTrue(mean(after, Vital.BODY_TEMPERATURE) > mean(before, Vital.BODY_TEMPERATURE) + 1);
      } else {
        assertTrue(mean(after, Vital.SYSTOLIC_BP) < mean(before, Vital.SYSTOLIC_BP) - 25);
      }
    }
  }
}
