package io.vigil.scoring.train;

import java.util.Random;

/**
 * Plain L2-regularised logistic regression on the same packed, normalised window features as the
 * LSTM (every feature of every hour as one input), fitted by mini-batch Adam with the same
 * positive-class weight: the baseline a hospital would otherwise pick.
 *
 * @param weights one per input
 * @param bias intercept
 */
public record LogisticRegression(float[] weights, double bias) {

  public double predict(float[] packed, int row) {
    int d = weights.length;
    int base = row * d;
    double z = bias;
    for (int j = 0; j < d; j++) {
      z += weights[j] * packed[base + j];
    }
    return 1 / (1 + Math.exp(-z));
  }

  public double[] predictAll(float[] packed, int n) {
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      p[i] = predict(packed, i);
    }
    return p;
  }

  public static LogisticRegression fit(
      float[] packed,
      int[] labels,
      int[] rows,
      int dims,
      int epochs,
      double positiveWeight,
      double l2,
      long seed) {
    double[] w = new double[dims + 1];
    double[] m = new double[dims + 1];
    double[] v = new double[dims + 1];
    double lr = 1e-3;
    int batch = 256;
    Random random = new Random(seed);
    int[] order = rows.clone();
    long step = 0;
    double[] grad = new double[dims + 1];
    for (int epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, random);
      for (int start = 0; start < order.length; start += batch) {
        int end = Math.min(order.length, start + batch);
        java.util.Arrays.fill(grad, 0);
        double weightSum = 0;
        for (int k = start; k < end; k++) {
          int row = order[k];
          int base = row * dims;
          double z = w[dims];
          for (int j = 0; j < dims; j++) {
            z += w[j] * packed[base + j];
          }
          double p = 1 / (1 + Math.exp(-z));
          double sw = labels[row] == 1 ? positiveWeight : 1;
          double g = sw * (p - labels[row]);
          weightSum += sw;
          for (int j = 0; j < dims; j++) {
            grad[j] += g * packed[base + j];
          }
          grad[dims] += g;
        }
        step++;
        for (int j = 0; j <= dims; j++) {
          double gj = grad[j] / weightSum + (j < dims ? l2 * w[j] : 0);
          m[j] = 0.9 * m[j] + 0.1 * gj;
          v[j] = 0.999 * v[j] + 0.001 * gj * gj;
          double mh = m[j] / (1 - Math.pow(0.9, step));
          double vh = v[j] / (1 - Math.pow(0.999, step));
          w[j] -= lr * mh / (Math.sqrt(vh) + 1e-8);
        }
      }
    }
    float[] weights = new float[dims];
    for (int j = 0; j < dims; j++) {
      weights[j] = (float) w[j];
    }
    return new LogisticRegression(weights, w[dims]);
  }

  static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
