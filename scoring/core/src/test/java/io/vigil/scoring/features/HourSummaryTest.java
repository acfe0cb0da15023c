package io.vigil.scoring.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HourSummaryTest {
  @Test
  void shouldBuildTheSameBucketWhateverTheOrderOfReadings() {
    List<double[]> readings = new ArrayList<>();
    Random random = new Random(1);
    for (int i = 0; i < 200; i++) {
      readings.add(new double[] {36 + random.nextDouble() * 3, 1_000 + random.nextInt(50)});
    }
    HourSummary inOrder = fold(readings);
    for (int shuffle = 0; shuffle < 20; shuffle++) {
      Collections.shuffle(readings, random);
      assertEquals(inOrder, fold(readings), "bucket must not depend on arrival order");
    }
    // Merging partial buckets (e.g. two stream tasks' state) gives the same result too.
    HourSummary left = fold(readings.subList(0, 77));
    HourSummary right = fold(readings.subList(77, 200));
    assertEquals(inOrder, right.merge(left));
    assertEquals(inOrder, left.merge(right));
  }

  private static HourSummary fold(List<double[]> readings) {
    HourSummary s = null;
    for (double[] r : readings) {
      s = s == null ? HourSummary.of(r[0], (long) r[1]) : s.add(r[0], (long) r[1]);
    }
    return s;
  }

  @Test
  void shouldKeepCountMeanMinMaxAndLatestReading() {
    HourSummary s = HourSummary.of(80, 3_000).add(100, 1_000).add(90, 2_000);
    assertEquals(3, s.count());
    assertEquals(90, s.mean(), 1e-12);
    assertEquals(80, s.min());
    assertEquals(100, s.max());
    assertEquals(80, s.last());
    assertEquals(3_000, s.lastTimeMillis());
  }

  @Test
  void shouldBreakTiesOnTimeByTheLargerValueSoReplaysAgree() {
    HourSummary a = HourSummary.of(95, 5_000).add(97, 5_000);
    HourSummary b = HourSummary.of(97, 5_000).add(95, 5_000);
    assertEquals(97, a.last());
    assertEquals(a, b);
  }

  @Test
  void shouldRefuseNonFiniteReadings() {
    assertThrows(IllegalArgumentException.class, () -> HourSummary.of(Double.NaN, 0));
  }
}
