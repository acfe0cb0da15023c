package io.vigil.scoring.train;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Hourly discrimination metrics and the PhysioNet/CinC 2019 utility.
 *
 * <p>AUROC is the Mann-Whitney statistic with ties counted as half. AUPRC is average precision: the
 * mean, over positive rows, of the precision at that row's score threshold (tied scores form one
 * threshold), the area under the step-wise precision-recall curve.
 */
public final class Metrics {
  private Metrics() {}

  public static double auroc(double[] score, int[] label) {
    return auroc(score, label, ascendingOrder(score), null);
  }

  public static double auprc(double[] score, int[] label) {
    return auprc(score, label, ascendingOrder(score), null);
  }

  /** Row indices sorted by ascending score (pass to the weighted forms to sort once). */
  public static int[] ascendingOrder(double[] score) {
    return IntStream.range(0, score.length)
        .boxed()
        .sorted(Comparator.comparingDouble(k -> score[k]))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  /**
   * AUROC with per-row weights (null = 1), e.g. how often a bootstrap drew the row's stay; {@code
   * order} from {@link #ascendingOrder}.
   */
  public static double auroc(double[] score, int[] label, int[] order, double[] weight) {
    double pos = 0;
    double neg = 0;
    double sum = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      double wPos = 0;
      double wNeg = 0;
      while (j < order.length && score[order[j]] == score[order[i]]) {
        double w = weight == null ? 1 : weight[order[j]];
        if (label[order[j]] == 1) {
          wPos += w;
        } else {
          wNeg += w;
        }
        j++;
      }
      sum += wPos * (neg + wNeg / 2);
      pos += wPos;
      neg += wNeg;
      i = j;
    }
    return pos == 0 || neg == 0 ? Double.NaN : sum / (pos * neg);
  }

  /**
   * Average precision with per-row weights (null = 1); {@code order} from {@link #ascendingOrder}.
   */
  public static double auprc(double[] score, int[] label, int[] order, double[] weight) {
    double tp = 0;
    double seen = 0;
    double sum = 0;
    int i = order.length - 1;
    while (i >= 0) {
      int j = i;
      double wPos = 0;
      double wAll = 0;
      while (j >= 0 && score[order[j]] == score[order[i]]) {
        double w = weight == null ? 1 : weight[order[j]];
        wAll += w;
        if (label[order[j]] == 1) {
          wPos += w;
        }
        j--;
      }
      tp += wPos;
      seen += wAll;
      if (seen > 0) {
        sum += wPos * (tp / seen);
      }
      i = j;
    }
    return tp == 0 ? Double.NaN : sum / tp;
  }

  /**
   * Utility of one stay's hourly alerts, exactly as the challenge's {@code
   * compute_prediction_utility} (dt_early -12, dt_optimal -6, dt_late 3, max TP 1, min FN -2, FP
   * -0.05, TN 0); rows are the stay's rows in order, {@code labels} the SepsisLabel column.
   */
  public static double utility(int[] labels, boolean[] alert) {
    final double dtEarly = -12;
    final double dtOptimal = -6;
    final double dtLate = 3;
    final double maxTp = 1;
    final double minFn = -2;
    final double uFp = -0.05;
    int first = -1;
    for (int t = 0; t < labels.length; t++) {
      if (labels[t] == 1) {
        first = t;
        break;
      }
    }
    boolean septic = first >= 0;
    double tSepsis = septic ? first - dtOptimal : Double.POSITIVE_INFINITY;
    double m1 = maxTp / (dtOptimal - dtEarly);
    double b1 = -m1 * dtEarly;
    double m2 = -maxTp / (dtLate - dtOptimal);
    double b2 = -m2 * dtLate;
    double m3 = minFn / (dtLate - dtOptimal);
    double b3 = -m3 * dtOptimal;
    double u = 0;
    for (int t = 0; t < labels.length; t++) {
      if (t > tSepsis + dtLate) {
        continue;
      }
      if (septic && alert[t]) {
        if (t <= tSepsis + dtOptimal) {
          u += Math.max(m1 * (t - tSepsis) + b1, uFp);
        } else {
          u += m2 * (t - tSepsis) + b2;
        }
      } else if (!septic && alert[t]) {
        u += uFp;
      } else if (septic && t > tSepsis + dtOptimal) {
        u += m3 * (t - tSepsis) + b3;
      }
    }
    return u;
  }

  /** The challenge's best possible alerts: on from 12 h before to 3 h after clinical onset. */
  public static boolean[] bestAlerts(int[] labels) {
    boolean[] best = new boolean[labels.length];
    for (int t = 0; t < labels.length; t++) {
      if (labels[t] == 1) {
        int onset = t + 6;
        for (int k = Math.max(0, onset - 12); k <= Math.min(labels.length - 1, onset + 3); k++) {
          best[k] = true;
        }
        break;
      }
    }
    return best;
  }

  /** Number of alert onsets: hours where the alert is on and was off the hour before (or first). */
  public static int alertOnsets(boolean[] alert) {
    int n = 0;
    for (int t = 0; t < alert.length; t++) {
      if (alert[t] && (t == 0 || !alert[t - 1])) {
        n++;
      }
    }
    return n;
  }

  /**
   * True when a septic stay had an alert in the {@code hours} rows before clinical onset (the first
   * positive label + 6 h, the challenge's definition); false for non-septic stays.
   */
  public static boolean flaggedBeforeOnset(int[] labels, boolean[] alert, int hours) {
    int first = -1;
    for (int t = 0; t < labels.length; t++) {
      if (labels[t] == 1) {
        first = t;
        break;
      }
    }
    if (first < 0) {
      return false;
    }
    int onset = first + 6;
    for (int t = Math.max(0, onset - hours); t < Math.min(onset, alert.length); t++) {
      if (alert[t]) {
        return true;
      }
    }
    return false;
  }
}
