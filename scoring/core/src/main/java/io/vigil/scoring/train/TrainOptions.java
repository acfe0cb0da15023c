package io.vigil.scoring.train;

import io.vigil.scoring.features.FeatureSet;
import io.vigil.scoring.model.ModelConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every option of {@link Train}, resolved with its default; a value out of range is refused with
 * the option's name. The bundle records {@link #asMap()}.
 *
 * @param data PhysioNet folder or archive (set A)
 * @param out bundle folder to write
 * @param seed seed of the split, the row sampling, the batch order, the weights and dropout
 * @param features input features: hourly, course or course-timing ({@link FeatureSet})
 * @param historyHours hours of history each window holds (the course features look back over it)
 * @param hours time steps of the network: the last {@code hours} hours of the window
 * @param units LSTM units
 * @param epochs most epochs
 * @param batch mini-batch size
 * @param negativeFraction share of the hours of non-septic training stays used for training
 * @param positiveWeight weight of the positive class in the cross-entropy
 * @param patience epochs without a better validation AUROC before training stops
 * @param maxTrainMinutes wall-clock budget of the training loop (checked after every batch)
 * @param bootstrap bootstrap resamples of patients for the test-part intervals
 * @param learningRate Adam learning rate
 * @param l2 L2 weight penalty
 * @param dropout probability of dropping an input of the output layer
 * @param treeRounds most boosting rounds of the gradient-boosted tree baseline
 * @param thinFraction share of the training stays (seeded) trained on with each vital value kept
 *     with probability one half, so the network also learns from sparsely charted stays; 0 for
 *     none. Validation and test stays are never thinned.
 */
public record TrainOptions(
    Path data,
    Path out,
    long seed,
    FeatureSet features,
    int historyHours,
    int hours,
    int units,
    int epochs,
    int batch,
    double negativeFraction,
    double positiveWeight,
    int patience,
    double maxTrainMinutes,
    int bootstrap,
    double learningRate,
    double l2,
    double dropout,
    int treeRounds,
    double thinFraction) {

  public TrainOptions {
    require(hours >= 1, "--hours must be at least 1, got " + hours);
    require(
        historyHours >= hours && historyHours <= 72,
        "--history-hours must be from --hours (" + hours + ") to 72, got " + historyHours);
    require(
        features != FeatureSet.HOURLY || historyHours == hours,
        "--features hourly reads the whole window: --history-hours must equal --hours");
    require(units >= 1, "--units must be at least 1, got " + units);
    require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
    require(batch >= 1, "--batch must be at least 1, got " + batch);
    require(
        negativeFraction > 0 && negativeFraction <= 1,
        "--negative-fraction must be in (0, 1], got " + negativeFraction);
    require(positiveWeight > 0, "--positive-weight must be positive, got " + positiveWeight);
    require(patience >= 1, "--patience must be at least 1, got " + patience);
    require(maxTrainMinutes > 0, "--max-train-minutes must be positive, got " + maxTrainMinutes);
    require(bootstrap >= 0, "--bootstrap must be 0 or more, got " + bootstrap);
    require(learningRate > 0, "--learning-rate must be positive, got " + learningRate);
    require(l2 >= 0, "--l2 must be 0 or more, got " + l2);
    require(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1), got " + dropout);
    require(treeRounds >= 1, "--tree-rounds must be at least 1, got " + treeRounds);
    require(
        thinFraction >= 0 && thinFraction <= 1,
        "--thin-fraction must be in [0, 1], got " + thinFraction);
  }

  /** The network's settings for {@code features} inputs. */
  public ModelConfig modelConfig(int features) {
    return new ModelConfig(
        features, hours, new int[] {units}, learningRate, l2, dropout, positiveWeight, seed);
  }

  /** Every option by its command-line name, as recorded in the bundle. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data", data.toString());
    m.put("out", out.toString());
    m.put("seed", seed);
    m.put("features", features.optionName());
    m.put("history-hours", historyHours);
    m.put("hours", hours);
    m.put("units", units);
    m.put("epochs", epochs);
    m.put("batch", batch);
    m.put("negative-fraction", negativeFraction);
    m.put("positive-weight", positiveWeight);
    m.put("patience", patience);
    m.put("max-train-minutes", maxTrainMinutes);
    m.put("bootstrap", bootstrap);
    m.put("learning-rate", learningRate);
    m.put("l2", l2);
    m.put("dropout", dropout);
    m.put("tree-rounds", treeRounds);
    m.put("thin-fraction", thinFraction);
    return m;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
