package io.vigil.scoring.news2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Sweeps every whole value (temperature: every tenth) across each vital's plausible range and
 * checks it against the chart written out as rows of (lowest, highest, points), so that no value
 * between the edges tested in {@link News2BandsTest} can fall into a wrong band.
 */
class News2ChartSweepTest {

  /** A chart row: values from {@code low} to {@code high} inclusive score {@code points}. */
  private record Band(int low, int high, int points) {}

  private static int chart(int value, Band... bands) {
    for (Band band : bands) {
      if (value >= band.low && value <= band.high) {
        return band.points;
      }
    }
    throw new AssertionError("chart has no band for " + value);
  }

  private static void sweep(int from, int to, IntUnaryOperator actual, Band... bands) {
    for (int v = from; v <= to; v++) {
      assertEquals(chart(v, bands), actual.applyAsInt(v), "value " + v);
    }
  }

  @Test
  void respirationRateMatchesChartEverywhere() {
    sweep(
        0,
        90,
        v -> News2Bands.respirationRate(v),
        new Band(Integer.MIN_VALUE, 8, 3),
        new Band(9, 11, 1),
        new Band(12, 20, 0),
        new Band(21, 24, 2),
        new Band(25, Integer.MAX_VALUE, 3));
  }

  @Test
  void spo2MatchesBothScalesEverywhere() {
    sweep(
        30,
        100,
        v -> News2Bands.spo2Scale1(v),
        new Band(Integer.MIN_VALUE, 91, 3),
        new Band(92, 93, 2),
        new Band(94, 95, 1),
        new Band(96, Integer.MAX_VALUE, 0));
    Band[] scale2Low = {
      new Band(Integer.MIN_VALUE, 83, 3), new Band(84, 85, 2), new Band(86, 87, 1)
    };
    sweep(
        30,
        100,
        v -> News2Bands.spo2Scale2(v, false),
        scale2Low[0],
        scale2Low[1],
        scale2Low[2],
        new Band(88, Integer.MAX_VALUE, 0));
    sweep(
        30,
        100,
        v -> News2Bands.spo2Scale2(v, true),
        scale2Low[0],
        scale2Low[1],
        scale2Low[2],
        new Band(88, 92, 0),
        new Band(93, 94, 1),
        new Band(95, 96, 2),
        new Band(97, Integer.MAX_VALUE, 3));
  }

  @Test
  void systolicBpMatchesChartEverywhere() {
    sweep(
        30,
        320,
        v -> News2Bands.systolicBp(v),
        new Band(Integer.MIN_VALUE, 90, 3),
        new Band(91, 100, 2),
        new Band(101, 110, 1),
        new Band(111, 219, 0),
        new Band(220, Integer.MAX_VALUE, 3));
  }

  @Test
  void pulseMatchesChartEverywhere() {
    sweep(
        10,
        320,
        v -> News2Bands.pulse(v),
        new Band(Integer.MIN_VALUE, 40, 3),
        new Band(41, 50, 1),
        new Band(51, 90, 0),
        new Band(91, 110, 1),
        new Band(111, 130, 2),
        new Band(131, Integer.MAX_VALUE, 3));
  }

  @Test
  void temperatureMatchesChartAtEveryTenth() {
    sweep(
        250,
        450,
        tenths -> News2Bands.temperature(tenths / 10.0),
        new Band(Integer.MIN_VALUE, 350, 3),
        new Band(351, 360, 1),
        new Band(361, 380, 0),
        new Band(381, 390, 1),
        new Band(391, Integer.MAX_VALUE, 2));
  }
}
