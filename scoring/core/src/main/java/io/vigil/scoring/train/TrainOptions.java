package io.vigil.scoring.train;

import io.vigil.scoring.features.FeatureSet;
import io.vigil.scoring.model.ModelConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every option of {@link Train}, resolved with its default. An unknown option is refused, so a
 * misspelt flag never trains a model silently without it. The bundle records {@link #asMap()}.
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

  static final Set<String> NAMES =
      Set.of(
          "data",
          "out",
          "seed",
          "features",
          "history-hours",
          "hours",
          "units",
          "epochs",
          "batch",
          "negative-fraction",
          "positive-weight",
          "patience",
          "max-train-minutes",
          "bootstrap",
          "learning-rate",
          "l2",
          "dropout",
          "tree-rounds",
          "thin-fraction");

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

  /** Parses {@code --name value} options; refuses unknown names and positional arguments. */
  public static TrainOptions parse(String[] argv) {
    Args args = new Args(argv);
    for (String name : args.options.keySet()) {
      require(NAMES.contains(name), "unknown option --" + name + "; Train knows " + NAMES);
    }
    require(args.positional.isEmpty(), "Train takes only options, got " + args.positional);
    return new TrainOptions(
        Path.of(args.get("data", "/work/shared/data/physionet2019/training_setA.tar.gz")),
        Path.of(args.get("out", "scoring/core/src/main/resources/io/vigil/scoring/model/default")),
        args.getLong("seed", 2019),
        FeatureSet.fromOption(args.get("features", "course")),
        args.getInt("history-hours", args.get("features", "course").equals("hourly") ? 12 : 24),
        args.getInt("hours", 12),
        args.getInt("units", 48),
        args.getInt("epochs", 8),
        args.getInt("batch", 512),
        args.getDouble("negative-fraction", 0.25),
        args.getDouble("positive-weight", 4),
        args.getInt("patience", 2),
        args.getDouble("max-train-minutes", 26),
        args.getInt("bootstrap", 200),
        args.getDouble("learning-rate", 2e-3),
        args.getDouble("l2", 1e-4),
        args.getDouble("dropout", 0.2),
        args.getInt("tree-rounds", 400),
        args.getDouble("thin-fraction", 0));
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
