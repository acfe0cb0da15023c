package io.vigil.scoring.model;

import io.vigil.scoring.features.FeatureSet;

/**
 * Standardises continuous features with the training set's mean and standard deviation and fills
 * missing values (NaN: a vital not yet seen in the window, an unknown age) with the mean, i.e. 0.
 * Observed-mask columns of the hourly features pass through (their mean is 0 and std 1).
 * Standardised values are clipped to ±{@link #CLIP} so that one absurd but plausible reading cannot
 * saturate the network.
 *
 * @param mean per feature column
 * @param std per feature column, positive
 */
public record Normaliser(float[] mean, float[] std) {
  public static final float CLIP = 8f;

  public Normaliser {
    if (mean.length != std.length) {
      throw new IllegalArgumentException("mean and std differ in length");
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** Identity (mean 0, std 1): for an untrained network in tests. */
  public static Normaliser identity(int features) {
    float[] ones = new float[features];
    java.util.Arrays.fill(ones, 1f);
    return new Normaliser(new float[features], ones);
  }

  /** Normalises {@code x[hour][feature]} in place and returns it. */
  public float[][] apply(float[][] x) {
    for (float[] row : x) {
      for (int f = 0; f < row.length; f++) {
        float v = row[f];
        if (Float.isNaN(v)) {
          row[f] = 0f;
        } else {
          row[f] = Math.max(-CLIP, Math.min(CLIP, (v - mean[f]) / std[f]));
        }
      }
    }
    return x;
  }

  /** Accumulates per-column moments over finite values (Welford), for fitting on training data. */
  public static final class Fitter {
    private final FeatureSet set;
    private final long[] n;
    private final double[] mean;
    private final double[] m2;

    public Fitter(FeatureSet set) {
      this.set = set;
      int features = set.features();
      n = new long[features];
      mean = new double[features];
      m2 = new double[features];
    }

    public void add(float[][] x) {
      for (float[] row : x) {
        for (int f = 0; f < row.length; f++) {
          if (!Float.isNaN(row[f])) {
            n[f]++;
            double d = row[f] - mean[f];
            mean[f] += d / n[f];
            m2[f] += d * (row[f] - mean[f]);
          }
        }
      }
    }

    public Normaliser fit() {
      float[] mu = new float[mean.length];
      float[] sd = new float[mean.length];
      for (int f = 0; f < mean.length; f++) {
        boolean continuous = set.isContinuous(f);
        mu[f] = continuous ? (float) mean[f] : 0f;
        double var = n[f] > 1 ? m2[f] / (n[f] - 1) : 1;
        sd[f] = continuous && var > 1e-12 ? (float) Math.sqrt(var) : 1f;
      }
      return new Normaliser(mu, sd);
    }
  }
}
