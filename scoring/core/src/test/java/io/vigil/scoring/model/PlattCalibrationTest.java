package io.vigil.scoring.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PlattCalibrationTest {
  @Test
  void shouldRecoverAKnownCalibrationAndStayMonotonic() {
    // Raw scores overstate risk: true probability is sigmoid(0.5 logit(raw) - 2).
    Random random = new Random(3);
    int n = 40_000;
    double[] raw = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      raw[i] = random.nextDouble();
      double p = PlattCalibration.sigmoid(0.5 * PlattCalibration.logit(raw[i]) - 2);
      y[i] = random.nextDouble() < p ? 1 : 0;
    }
    PlattCalibration c = PlattCalibration.fit(raw, y);
    assertEquals(0.5, c.a(), 0.05);
    assertEquals(-2, c.b(), 0.1);
    double previous = -1;
    for (double r = 0; r <= 1.0; r += 0.001) {
      double p = c.apply(r);
      assertTrue(p > previous, "calibration must be strictly increasing at " + r);
      assertTrue(p > 0 && p < 1);
      previous = p;
    }
  }

  @Test
  void shouldRefuseOneClassData() {
    assertThrows(
        IllegalArgumentException.class,
        () -> PlattCalibration.fit(new double[] {0.1, 0.2}, new int[] {0, 0}));
    assertThrows(IllegalArgumentException.class, () -> new PlattCalibration(-1, 0));
  }
}
