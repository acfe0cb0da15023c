package io.vigil.scoring.model;

/**
 * Platt scaling: calibrated = sigmoid(a · logit(raw) + b) with {@code a > 0}, so calibration is
 * strictly increasing in the raw network output and never reorders patients. Fitted on the
 * validation part by Newton's method on the log-loss, with Platt's smoothed targets.
 *
 * @param a slope on the logit scale, positive
 * @param b intercept on the logit scale
 */
public record PlattCalibration(double a, double b) {
  private static final double EPS = 1e-7;

  public PlattCalibration {
    if (!(a > 0) || !Double.isFinite(b)) {
      throw new IllegalArgumentException("Platt slope must be positive and intercept finite");
    }
  }

  public static PlattCalibration identity() {
    return new PlattCalibration(1, 0);
  }

  public double apply(double raw) {
    return sigmoid(a * logit(raw) + b);
  }

  static double logit(double p) {
    double q = Math.min(1 - EPS, Math.max(EPS, p));
    return Math.log(q / (1 - q));
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  /** Fits a and b to raw scores and 0/1 labels. */
  public static PlattCalibration fit(double[] raw, int[] labels) {
    int pos = 0;
    for (int y : labels) {
      pos += y;
    }
    int neg = labels.length - pos;
    if (pos == 0 || neg == 0) {
      throw new IllegalArgumentException(
          "calibration needs both classes, got " + pos + " positive");
    }
    double hi = (pos + 1.0) / (pos + 2.0);
    double lo = 1.0 / (neg + 2.0);
    double[] z = new double[raw.length];
    for (int i = 0; i < raw.length; i++) {
      z[i] = logit(raw[i]);
    }
    double a = 1;
    double b = 0;
    for (int iter = 0; iter < 100; iter++) {
      double ga = 0;
      double gb = 0;
      double haa = 1e-9;
      double hab = 0;
      double hbb = 1e-9;
      for (int i = 0; i < z.length; i++) {
        double t = labels[i] == 1 ? hi : lo;
        double p = sigmoid(a * z[i] + b);
        double d = p - t;
        double w = p * (1 - p);
        ga += d * z[i];
        gb += d;
        haa += w * z[i] * z[i];
        hab += w * z[i];
        hbb += w;
      }
      double det = haa * hbb - hab * hab;
      double da = (hbb * ga - hab * gb) / det;
      double db = (haa * gb - hab * ga) / det;
      a -= da;
      b -= db;
      if (a <= 1e-6) {
        a = 1e-6;
      }
      if (Math.abs(da) + Math.abs(db) < 1e-9) {
        break;
      }
    }
    return new PlattCalibration(a, b);
  }
}
