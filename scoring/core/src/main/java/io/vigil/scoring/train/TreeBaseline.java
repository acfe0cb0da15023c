package io.vigil.scoring.train;

import io.vigil.scoring.model.Json;
import io.vigil.scoring.model.ModelBundle;
import io.vigil.scoring.model.PlattCalibration;
import io.vigil.scoring.train.Split.Part;
import io.vigil.tools.cli.Usage;
import io.vigil.tools.physionet.PhysioNetStay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The gradient-boosted tree baseline (XGBoost): the strong tabular model the recurrent network has
 * to beat. It reads the same features as the bundle's network at the window's last hour (for the
 * course features, a summary of the history up to that hour), is trained on the same sampled rows
 * with the same positive-class weight, stops adding trees when the validation AUROC has not
 * improved for {@value #EARLY_STOPPING_ROUNDS} rounds, is Platt-calibrated on validation and gets
 * its threshold by the same alert budget as the network. Saved in the bundle folder as {@value
 * #MODEL_FILE} and {@value #FILE} (calibration, threshold, parameters).
 *
 * <p>{@link Cli} adds it to a trained bundle ({@code TreeBaseline --help}).
 */
public final class TreeBaseline {
  public static final String MODEL_FILE = "baseline-xgboost.ubj";
  public static final String FILE = "baseline-xgboost.json";
  static final int EARLY_STOPPING_ROUNDS = 25;

  /**
   * What is saved next to the booster.
   *
   * @param calibration Platt calibration on validation
   * @param threshold alert threshold on the calibrated score
   * @param parameters XGBoost parameters and the best round
   */
  public record Settings(
      PlattCalibration calibration, double threshold, Map<String, Object> parameters) {}

  private final Booster booster;
  private final Settings settings;

  private TreeBaseline(Booster booster, Settings settings) {
    this.booster = booster;
    this.settings = settings;
  }

  public double threshold() {
    return settings.threshold();
  }

  public Settings settings() {
    return settings;
  }

  @SuppressWarnings("checkstyle:systemExit")
  public static void main(String[] argv) {
    System.exit(new CommandLine(new Cli()).execute(argv));
  }

  /** The command line that adds the tree baseline to a trained bundle. */
  @Command(
      name = "TreeBaseline",
      description =
          "Adds the gradient-boosted tree baseline to a trained bundle: the same split, features"
              + " and sampled rows as its network; the data must be the bundle's training data.",
      exitCodeList = {
        "0:the baseline was fitted and saved in the bundle folder",
        "1:fitting failed (the error is printed)",
        "2:invalid command line: an unknown option or a value out of range"
      })
  public static final class Cli implements Callable<Integer> {
    @Mixin private Usage usage;

    @Parameters(paramLabel = "BUNDLE_DIR", description = "Bundle folder to add the baseline to.")
    private Path dir;

    @Mixin private TrainingData data;

    @Option(
        names = "--rounds",
        paramLabel = "N",
        defaultValue = "400",
        description = "Most boosting rounds, at least 1.")
    private int rounds;

    @Override
    public Integer call() throws Exception {
      usage.require(rounds >= 1, "--rounds must be at least 1, got " + rounds);
      ModelBundle bundle = ModelBundle.load(dir);
      Map<Part, List<PhysioNetStay>> parts = Split.readParts(data.path(), bundle.metadata());
      List<PhysioNetStay> train = parts.get(Part.TRAIN);
      List<PhysioNetStay> validation = parts.get(Part.VALIDATION);
      Map<String, Object> options = trainingOptions(bundle);
      EncodedSet trainSet =
          EncodedSet.encode(
              train,
              bundle.featureSet(),
              bundle.windowHours(),
              bundle.steps(),
              bundle.normaliser(),
              Train.sampler(
                  ((Number) options.getOrDefault("negative-fraction", 0.25)).doubleValue(),
                  bundle.metadata().seed()));
      EncodedSet valSet = EncodedSet.encode(validation, bundle);
      TreeBaseline tree =
          fit(
              trainSet,
              valSet,
              bundle.metadata().config().positiveWeight(),
              bundle.metadata().seed(),
              rounds);
      tree.save(dir);
      Train.log("tree baseline saved to " + dir + ": " + tree.settings());
      return 0;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> trainingOptions(ModelBundle bundle) {
    Object o = bundle.metadata().metrics().get("trainingOptions");
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** Fits on every row of {@code train}, early-stopped and calibrated on {@code validation}. */
  public static TreeBaseline fit(
      EncodedSet train, EncodedSet validation, double positiveWeight, long seed, int rounds)
      throws XGBoostError {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("objective", "binary:logistic");
    params.put("eval_metric", "auc");
    params.put("tree_method", "hist");
    params.put("max_depth", 6);
    params.put("eta", 0.1);
    params.put("subsample", 0.8);
    params.put("colsample_bytree", 0.8);
    params.put("min_child_weight", 5);
    params.put("scale_pos_weight", positiveWeight);
    params.put("nthread", 2);
    params.put("seed", seed);
    params.put("verbosity", 1);
    DMatrix dtrain = matrix(train);
    DMatrix dval = matrix(validation);
    Map<String, DMatrix> watches = new LinkedHashMap<>();
    watches.put("validation", dval);
    float[][] history = new float[1][rounds];
    Booster booster =
        XGBoost.train(dtrain, params, rounds, watches, history, null, null, EARLY_STOPPING_ROUNDS);
    String best = booster.getAttr("best_iteration");
    Map<String, Object> recorded = new LinkedHashMap<>(params);
    recorded.put("rounds", rounds);
    recorded.put("earlyStoppingRounds", EARLY_STOPPING_ROUNDS);
    recorded.put("bestIteration", best == null ? rounds - 1 : Integer.parseInt(best));
    TreeBaseline uncalibrated =
        new TreeBaseline(booster, new Settings(PlattCalibration.identity(), 0.5, recorded));
    double[] raw = uncalibrated.rawScore(validation);
    PlattCalibration calibration = PlattCalibration.fit(raw, validation.labels);
    double[] calibrated = Arrays.stream(raw).map(calibration::apply).toArray();
    Evaluator eval = new Evaluator(validation.labels, validation.stayStart);
    double news2Rate =
        eval.ratesAt(Arrays.stream(validation.news2).asDoubleStream().toArray(), 5)[0];
    double threshold = eval.thresholdForBudget(calibrated, news2Rate / 2);
    recorded.put("validationAuroc", Metrics.auroc(calibrated, validation.labels));
    return new TreeBaseline(booster, new Settings(calibration, threshold, recorded));
  }

  /** Calibrated probabilities of every row of {@code set}. */
  public double[] score(EncodedSet set) {
    double[] raw = rawScore(set);
    for (int i = 0; i < raw.length; i++) {
      raw[i] = settings.calibration().apply(raw[i]);
    }
    return raw;
  }

  private double[] rawScore(EncodedSet set) {
    try {
      Object best = settings.parameters().get("bestIteration");
      int[] range = best == null ? null : new int[] {0, ((Number) best).intValue() + 1};
      float[][] p = booster.inplace_predict(lastStep(set), set.n, set.features, Float.NaN, range);
      double[] out = new double[set.n];
      for (int i = 0; i < set.n; i++) {
        out[i] = p[i][0];
      }
      return out;
    } catch (XGBoostError e) {
      throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
    }
  }

  /** Row-major {@code [n, features]}: each window's features at its last time step. */
  static float[] lastStep(EncodedSet set) {
    int f = set.features;
    int t = set.hours;
    float[] out = new float[set.n * f];
    for (int i = 0; i < set.n; i++) {
      int base = i * f * t;
      for (int j = 0; j < f; j++) {
        out[i * f + j] = set.packed[base + j * t + t - 1];
      }
    }
    return out;
  }

  private static DMatrix matrix(EncodedSet set) throws XGBoostError {
    DMatrix d = new DMatrix(lastStep(set), set.n, set.features, Float.NaN);
    float[] labels = new float[set.n];
    for (int i = 0; i < set.n; i++) {
      labels[i] = set.labels[i];
    }
    d.setLabel(labels);
    return d;
  }

  public void save(Path dir) throws IOException {
    try {
      Files.write(dir.resolve(MODEL_FILE), booster.toByteArray("ubj"));
    } catch (XGBoostError e) {
      throw new IOException("cannot serialise the XGBoost model: " + e.getMessage(), e);
    }
    Json.MAPPER.writeValue(dir.resolve(FILE).toFile(), settings);
  }

  /** The tree baseline saved in {@code dir}, or null when the bundle has none. */
  public static TreeBaseline loadIfPresent(Path dir) throws IOException {
    if (!Files.isRegularFile(dir.resolve(MODEL_FILE))) {
      return null;
    }
    Settings settings = Json.MAPPER.readValue(dir.resolve(FILE).toFile(), Settings.class);
    try {
      return new TreeBaseline(
          XGBoost.loadModel(Files.readAllBytes(dir.resolve(MODEL_FILE))), settings);
    } catch (XGBoostError e) {
      throw new IOException("cannot read " + dir.resolve(MODEL_FILE) + ": " + e.getMessage(), e);
    }
  }
}
