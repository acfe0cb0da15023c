package io.vigil.alerts.budget;

/**
 * The thresholds an alert budget chooses from: {@value #SIZE} values log-spaced from {@value
 * #LOWEST} to 1, {@value #PER_DECADE} per decade (each about 5.9 % above the one below), so the
 * shipped model's threshold (0.0211) has neighbours 6 % either side.
 */
public final class ThresholdGrid {
  public static final double LOWEST = 0.001;
  public static final int PER_DECADE = 40;
  public static final int SIZE = 3 * PER_DECADE + 1;

  private static final double[] VALUES = new double[SIZE];

  static {
    for (int i = 0; i < SIZE; i++) {
      VALUES[i] = Math.pow(10, -3 + (double) i / PER_DECADE);
    }
    VALUES[SIZE - 1] = 1.0;
  }

  private ThresholdGrid() {}

  public static double value(int index) {
    return VALUES[index];
  }

  /** Index of the lowest grid value above {@code risk} ({@link #SIZE} when none is). */
  public static int firstAbove(double risk) {
    int lo = 0;
    int hi = SIZE;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (VALUES[mid] > risk) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Index of the grid value nearest to {@code threshold} (in log scale), clamped to the grid. */
  public static int nearest(double threshold) {
    double position = (Math.log10(threshold) + 3) * PER_DECADE;
    return (int) Math.max(0, Math.min(SIZE - 1, Math.round(position)));
  }

  /**
   * Grid steps a threshold may move per recompute under a relative step limit: the most whole steps
   * whose combined ratio is at most {@code 1 + maxStep}, and at least one.
   */
  public static int steps(double maxStep) {
    double stepRatio = Math.log(VALUES[1] / VALUES[0]);
    return Math.max(1, (int) Math.floor(Math.log1p(maxStep) / stepRatio + 1e-9));
  }

  /**
   * The grid values a move from {@code previousRisk} to {@code risk} crosses upwards: those {@code
   * t} with {@code previousRisk < t <= risk}, as the index range {@code [from, to)}. A patient's
   * first window ({@code previousRisk} null) crosses every value up to its risk: the lifecycle
   * would raise an alert for it at any of them.
   */
  public static int[] upcrossed(Double previousRisk, double risk) {
    int from = previousRisk == null ? 0 : firstAbove(previousRisk);
    int to = firstAbove(risk);
    return new int[] {from, Math.max(from, to)};
  }
}
