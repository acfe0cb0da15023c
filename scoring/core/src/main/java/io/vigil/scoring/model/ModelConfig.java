package io.vigil.scoring.model;

/**
 * Architecture and optimiser settings of the deterioration LSTM.
 *
 * @param features input features per hour
 * @param windowHours hours per window (time steps)
 * @param lstmUnits units of each LSTM layer, first to last (one or two layers)
 * @param learningRate Adam learning rate
 * @param l2 L2 weight penalty
 * @param dropout probability of dropping an input of the output layer, 0 for none
 * @param positiveWeight loss weight of the positive class relative to the negative (imbalance)
 * @param seed seed of weight initialisation and dropout
 */
public record ModelConfig(
    int features,
    int windowHours,
    int[] lstmUnits,
    double learningRate,
    double l2,
    double dropout,
    double positiveWeight,
    long seed) {

  public ModelConfig {
    if (lstmUnits.length < 1 || lstmUnits.length > 2) {
      throw new IllegalArgumentException("one or two LSTM layers, got " + lstmUnits.length);
    }
    lstmUnits = lstmUnits.clone();
  }

  /** The shipped model's settings for {@code features} inputs over {@code windowHours}. */
  public static ModelConfig defaults(int features, int windowHours, long seed) {
    return new ModelConfig(features, windowHours, new int[] {48}, 2e-3, 1e-4, 0.2, 4.0, seed);
  }
}
