package io.vigil.scoring.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void shouldComputeAurocByHandIncludingTies() {
    // positives 0.8, 0.4; negatives 0.4, 0.2, 0.1: pairs (8>4,8>2,8>1, 4=4 half, 4>2, 4>1) = 5.5/6
    double[] s = {0.8, 0.4, 0.4, 0.2, 0.1};
    int[] y = {1, 1, 0, 0, 0};
    assertEquals(5.5 / 6, Metrics.auroc(s, y), 1e-12);
  }

  @Test
  void shouldComputeAveragePrecisionByHand() {
    // ranked: 0.9(+) 0.8(-) 0.7(+) 0.1(-): precision at positives 1/1 and 2/3 -> (1 + 2/3)/2
    double[] s = {0.9, 0.8, 0.7, 0.1};
    int[] y = {1, 0, 1, 0};
    assertEquals((1 + 2.0 / 3) / 2, Metrics.auprc(s, y), 1e-12);
    // a tie between a positive and a negative is one threshold: precision 1/2
    assertEquals(0.5, Metrics.auprc(new double[] {0.5, 0.5}, new int[] {1, 0}), 1e-12);
  }

  @Test
  void shouldWeighRowsLikeRepeatedRows() {
    double[] s = {0.9, 0.8, 0.7, 0.1};
    int[] y = {1, 0, 1, 0};
    double[] w = {2, 1, 1, 3};
    double[] s2 = {0.9, 0.9, 0.8, 0.7, 0.1, 0.1, 0.1};
    int[] y2 = {1, 1, 0, 1, 0, 0, 0};
    int[] order = Metrics.ascendingOrder(s);
    assertEquals(Metrics.auroc(s2, y2), Metrics.auroc(s, y, order, w), 1e-12);
    assertEquals(Metrics.auprc(s2, y2), Metrics.auprc(s, y, order, w), 1e-12);
  }

  @Test
  void shouldScoreUtilityAsTheChallengeDoes() {
    // Septic stay, 20 rows, first positive label at row 8: clinical onset t_sepsis = 14.
    int[] labels = new int[20];
    for (int t = 8; t < 20; t++) {
      labels[t] = 1;
    }
    boolean[] none = new boolean[20];
    // Missed: rows 9..17 (t - 14 from -5 to 3) each cost m3 (t - 14) + b3 with m3 = -2/9, b3 =
    // -4/3.
    double missed = 0;
    for (int t = 9; t <= 17; t++) {
      missed += -2.0 / 9 * (t - 14) - 4.0 / 3;
    }
    assertEquals(missed, Metrics.utility(labels, none), 1e-12);
    // One alert at row 6 (t - 14 = -8): max(1/6 * -8 + 2, -0.05) = 2/3, plus the misses.
    boolean[] one = new boolean[20];
    one[6] = true;
    assertEquals(missed + 2.0 / 3, Metrics.utility(labels, one), 1e-12);
    // Optimal predictions: rows 2..17.
    boolean[] best = Metrics.bestAlerts(labels);
    assertTrue(best[2] && best[17] && !best[1] && !best[18]);
    // Non-septic stay: each alert costs 0.05.
    int[] healthy = new int[5];
    boolean[] alerts = {true, true, false, true, false};
    assertEquals(-0.15, Metrics.utility(healthy, alerts), 1e-12);
  }

  @Test
  void shouldCountAlertOnsetsAndEarlyFlags() {
    boolean[] a = {true, true, false, true, false, false, true};
    assertEquals(3, Metrics.alertOnsets(a));
    int[] labels = {0, 0, 0, 1, 1, 1, 1};
    // onset = first positive (3) + 6 = 9; alerts at rows 0,1,3,6 lie before it
    assertTrue(Metrics.flaggedBeforeOnset(labels, a, 48));
    assertFalse(Metrics.flaggedBeforeOnset(labels, a, 2), "only rows 7-8 count");
    assertFalse(Metrics.flaggedBeforeOnset(new int[7], a, 48), "non-septic");
  }

  @Test
  void shouldSummariseStaysAtAThreshold() {
    int[] labels = {0, 0, 0, 0, 0, 0, 1, 1};
    int[] stayStart = {0, 4, 8};
    double[] score = {0.9, 0.1, 0.9, 0.1, 0.9, 0.9, 0.9, 0.9};
    double[] r = new Evaluator(labels, stayStart).ratesAt(score, 0.5);
    assertEquals(3 / (8 / 24.0), r[0], 1e-12, "3 onsets in 8 patient-hours");
    assertEquals(1.0, r[1], 1e-12);
  }
}
