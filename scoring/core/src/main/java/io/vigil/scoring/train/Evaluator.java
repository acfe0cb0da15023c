package io.vigil.scoring.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hour-by-hour evaluation of one model's scores on stays: AUROC, AUPRC, the challenge's normalized
 * utility at the alert threshold, alert onsets per patient-day, and the share of septic stays
 * flagged in the 48 h before onset, each with a 95 % bootstrap interval over stays (patients
 * resampled with replacement, percentile method).
 */
public final class Evaluator {
  /** Hours before clinical onset in which an alert counts as an early flag. */
  public static final int FLAG_HOURS = 48;

  /** The figures of {@link #evaluate}, by name, in the order {@link #figures} gives them. */
  static final List<String> FIGURES =
      List.of(
          "auroc",
          "auprc",
          "normalizedUtility",
          "alertOnsetsPerPatientDay",
          "septicFlaggedBeforeOnset");

  private final int[] labels;
  private final int[] stayStart;
  private final int stays;

  public Evaluator(int[] labels, int[] stayStart) {
    this.labels = labels;
    this.stayStart = stayStart;
    this.stays = stayStart.length - 1;
  }

  /** One figure with its interval. */
  public record Figure(double value, double lo, double hi) {}

  /** Per-stay sums at one threshold. */
  record StaySums(
      double[] utility,
      double[] best,
      double[] inaction,
      int[] onsets,
      int[] rows,
      boolean[] septic,
      boolean[] flagged) {}

  StaySums sums(double[] score, double threshold) {
    StaySums s =
        new StaySums(
            new double[stays],
            new double[stays],
            new double[stays],
            new int[stays],
            new int[stays],
            new boolean[stays],
            new boolean[stays]);
    for (int k = 0; k < stays; k++) {
      int from = stayStart[k];
      int to = stayStart[k + 1];
      int[] y = Arrays.copyOfRange(labels, from, to);
      boolean[] alert = new boolean[to - from];
      for (int t = from; t < to; t++) {
        alert[t - from] = score[t] >= threshold;
      }
      s.utility[k] = Metrics.utility(y, alert);
      s.best[k] = Metrics.utility(y, Metrics.bestAlerts(y));
      s.inaction[k] = Metrics.utility(y, new boolean[y.length]);
      s.onsets[k] = Metrics.alertOnsets(alert);
      s.rows[k] = y.length;
      s.septic[k] = Arrays.stream(y).anyMatch(v -> v == 1);
      s.flagged[k] = Metrics.flaggedBeforeOnset(y, alert, FLAG_HOURS);
    }
    return s;
  }

  /** Alert onsets per patient-day and septic stays flagged before onset, with stay weights. */
  static double[] rates(StaySums s, int[] times) {
    double onsets = 0;
    double hours = 0;
    double septic = 0;
    double flagged = 0;
    double u = 0;
    double best = 0;
    for (int k = 0; k < s.rows.length; k++) {
      int c = times == null ? 1 : times[k];
      onsets += c * s.onsets[k];
      hours += c * s.rows[k];
      u += c * (s.utility[k] - s.inaction[k]);
      best += c * (s.best[k] - s.inaction[k]);
      if (s.septic[k]) {
        septic += c;
        flagged += s.flagged[k] ? c : 0;
      }
    }
    return new double[] {
      onsets / (hours / 24.0),
      septic == 0 ? Double.NaN : flagged / septic,
      best == 0 ? Double.NaN : u / best
    };
  }

  /** Alert onsets per patient-day and flagged share at {@code threshold}, no intervals. */
  public double[] ratesAt(double[] score, double threshold) {
    return rates(sums(score, threshold), null);
  }

  /**
   * The operating point for an alert budget: lowering the threshold from the top, the last
   * candidate (a quantile of the scores) before the alert-onset rate first exceeds {@code
   * maxOnsetsPerDay}. Scanning from the top matters: far below it alerts merge into one alert that
   * never ends, which has few onsets but is useless, so the budget is only honoured on the side of
   * the curve where each alert means something: the scan also stops once the onset rate has fallen
   * below 80 % of its peak (alerts merging), when the budget is larger than the model ever uses.
   */
  public double thresholdForBudget(double[] score, double maxOnsetsPerDay) {
    double[] sorted = score.clone();
    Arrays.sort(sorted);
    double chosen = Math.nextUp(sorted[sorted.length - 1]);
    double peak = 0;
    for (int q = 0; q < 1000; q++) {
      double quantile = 1 - Math.pow(10, -4 + 4 * q / 999.0);
      double t = sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))];
      if (t >= chosen) {
        continue;
      }
      double rate = ratesAt(score, t)[0];
      if (rate > maxOnsetsPerDay || rate < 0.8 * peak) {
        break;
      }
      peak = Math.max(peak, rate);
      chosen = t;
    }
    return chosen;
  }

  /** Every figure of one model, with bootstrap intervals. */
  public Map<String, Object> evaluate(double[] score, double threshold, int bootstrap, long seed) {
    int[] order = Metrics.ascendingOrder(score);
    StaySums s = sums(score, threshold);
    List<double[]> reps = new ArrayList<>();
    Random random = new Random(seed);
    double[] weight = new double[score.length];
    for (int b = 0; b < bootstrap; b++) {
      int[] times = new int[stays];
      for (int k = 0; k < stays; k++) {
        times[random.nextInt(stays)]++;
      }
      for (int k = 0; k < stays; k++) {
        Arrays.fill(weight, stayStart[k], stayStart[k + 1], times[k]);
      }
      reps.add(figures(score, order, weight, rates(s, times)));
    }
    double[] value = figures(score, order, null, rates(s, null));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("threshold", threshold);
    for (int m = 0; m < FIGURES.size(); m++) {
      double[] dist = new double[reps.size()];
      for (int b = 0; b < dist.length; b++) {
        dist[b] = reps.get(b)[m];
      }
      Arrays.sort(dist);
      out.put(
          FIGURES.get(m), new Figure(value[m], percentile(dist, 0.025), percentile(dist, 0.975)));
    }
    return out;
  }

  /**
   * The figures of {@link #FIGURES} for hours weighted by {@code weight} ({@code null}: each once),
   * with {@code rates} from {@link #rates} at the same weights.
   */
  private double[] figures(double[] score, int[] order, double[] weight, double[] rates) {
    return new double[] {
      Metrics.auroc(score, labels, order, weight),
      Metrics.auprc(score, labels, order, weight),
      rates[2],
      rates[0],
      rates[1]
    };
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))));
    return sorted[i];
  }
}
