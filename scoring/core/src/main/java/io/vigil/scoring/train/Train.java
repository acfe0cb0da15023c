package io.vigil.scoring.train;

import io.vigil.scoring.features.FeatureSet;
import io.vigil.scoring.model.BundleMetadata;
import io.vigil.scoring.model.ModelBundle;
import io.vigil.scoring.model.ModelConfig;
import io.vigil.scoring.model.NetworkFactory;
import io.vigil.scoring.model.Normaliser;
import io.vigil.scoring.model.PlattCalibration;
import io.vigil.scoring.model.ThresholdEntry;
import io.vigil.scoring.train.Split.Part;
import io.vigil.tools.cli.Usage;
import io.vigil.tools.physionet.PhysioNetReader;
import io.vigil.tools.physionet.PhysioNetStay;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.ROCScoreCalculator;
import org.deeplearning4j.earlystopping.termination.InvalidScoreIterationTerminationCondition;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.MaxTimeIterationTerminationCondition;
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * Trains the deterioration LSTM on PhysioNet 2019 set A and saves a bundle.
 *
 * <p>Label: the challenge's hourly SepsisLabel (1 from 6 h before clinical sepsis onset onward), so
 * each hourly window is asked "is this patient within 6 h of, or past, sepsis onset?". Steps:
 * seeded patient-level split (70/15/15, stratified by septic stay); normaliser fitted on training
 * windows; training rows = every hour of septic training stays plus a seeded {@code
 * --negative-fraction} of the hours of the other training stays, the positive class further
 * weighted by {@code --positive-weight} (class imbalance); DL4J's {@link EarlyStoppingTrainer} with
 * Adam ({@code --learning-rate}, {@code --l2}, {@code --dropout}) on seeded mini-batches, scoring
 * every epoch by validation AUROC ({@link ROCScoreCalculator}), keeping the best epoch's network,
 * stopping after {@code --patience} epochs without improvement, {@code --epochs} epochs or {@code
 * --max-train-minutes} of training; Platt calibration on validation; the logistic-regression
 * baseline on the same rows; thresholds by alert budget on validation; then the test part is
 * evaluated and written into the bundle's metrics. The bundle records every option ({@link
 * TrainOptions}) with the command line.
 *
 * <p>An instance is the command line ({@code ./vigil train --help} lists every option with its
 * default): an unknown option or a value out of range ({@link TrainOptions}) is refused with exit
 * status 2, so a misspelt flag never trains a model silently without it.
 */
@Command(
    name = "./vigil train",
    description =
        "Trains the deterioration LSTM on PhysioNet 2019 set A, calibrates it, saves the"
            + " bundle with its baselines and evaluates it on the test part.",
    abbreviateSynopsis = true,
    exitCodeList = {
      "0:the bundle was trained, saved and evaluated",
      "1:training failed (the error is printed)",
      "2:invalid command line: an unknown option, or a value out of range"
    })
public final class Train implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private Usage usage;

  @Mixin private TrainingData data;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "scoring/core/src/main/resources/io/vigil/scoring/model/default",
      description = "Bundle folder to write.")
  private Path out;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "2019",
      description =
          "Seed of the split, the row sampling, the batch order, the weights and dropout.")
  private long seed;

  @Option(
      names = "--features",
      paramLabel = "SET",
      defaultValue = "course",
      converter = FeatureSetOption.class,
      description = "Input features: hourly, course or course-timing (scoring/core/README.md).")
  private FeatureSet features;

  @Option(
      names = "--history-hours",
      paramLabel = "HOURS",
      description =
          "Hours of history each window holds (the course features look back over it), from"
              + " --hours to 72. Default: 24, or 12 with --features hourly.")
  private Integer historyHours;

  @Option(
      names = "--hours",
      paramLabel = "N",
      defaultValue = "12",
      description = "Time steps of the network: the last N hours of the window.")
  private int hours;

  @Option(names = "--units", paramLabel = "N", defaultValue = "48", description = "LSTM units.")
  private int units;

  @Option(names = "--epochs", paramLabel = "N", defaultValue = "8", description = "Most epochs.")
  private int epochs;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "512",
      description = "Mini-batch size.")
  private int batch;

  @Option(
      names = "--negative-fraction",
      paramLabel = "X",
      defaultValue = "0.25",
      description = "Share of the hours of non-septic training stays used for training, in (0, 1].")
  private double negativeFraction;

  @Option(
      names = "--positive-weight",
      paramLabel = "X",
      defaultValue = "4",
      description = "Weight of the positive class in the cross-entropy.")
  private double positiveWeight;

  @Option(
      names = "--patience",
      paramLabel = "N",
      defaultValue = "2",
      description = "Epochs without a better validation AUROC before training stops.")
  private int patience;

  @Option(
      names = "--max-train-minutes",
      paramLabel = "X",
      defaultValue = "26",
      description = "Wall-clock budget of the training loop (checked after every batch).")
  private double maxTrainMinutes;

  @Option(
      names = "--bootstrap",
      paramLabel = "N",
      defaultValue = "200",
      description = "Bootstrap resamples of patients for the test-part intervals.")
  private int bootstrap;

  @Option(
      names = "--learning-rate",
      paramLabel = "X",
      defaultValue = "2e-3",
      description = "Adam learning rate.")
  private double learningRate;

  @Option(
      names = "--l2",
      paramLabel = "X",
      defaultValue = "1e-4",
      description = "L2 weight penalty.")
  private double l2;

  @Option(
      names = "--dropout",
      paramLabel = "X",
      defaultValue = "0.2",
      description = "Probability of dropping an input of the output layer, in [0, 1).")
  private double dropout;

  @Option(
      names = "--tree-rounds",
      paramLabel = "N",
      defaultValue = "400",
      description = "Most boosting rounds of the gradient-boosted tree baseline.")
  private int treeRounds;

  @Option(
      names = "--thin-fraction",
      paramLabel = "X",
      defaultValue = "0",
      description =
          "Share of the training stays trained on with each vital value kept with probability one"
              + " half (seeded), in [0, 1]; validation and test stays are never thinned.")
  private double thinFraction;

  @SuppressWarnings("checkstyle:systemExit")
  public static void main(String[] argv) {
    System.exit(new CommandLine(new Train()).execute(argv));
  }

  @Override
  public Integer call() throws Exception {
    List<String> argv = spec.commandLine().getParseResult().originalArgs();
    run(options(), "Train " + String.join(" ", argv));
    return 0;
  }

  /** The command line's options, validated: a value out of range is a usage error. */
  private TrainOptions options() {
    try {
      return new TrainOptions(
          data.path(),
          out,
          seed,
          features,
          historyHours != null ? historyHours : features == FeatureSet.HOURLY ? 12 : 24,
          hours,
          units,
          epochs,
          batch,
          negativeFraction,
          positiveWeight,
          patience,
          maxTrainMinutes,
          bootstrap,
          learningRate,
          l2,
          dropout,
          treeRounds,
          thinFraction);
    } catch (IllegalArgumentException e) {
      throw usage.error(e.getMessage());
    }
  }

  /** {@code --features} by its option name ({@link FeatureSet#fromOption}). */
  static final class FeatureSetOption implements ITypeConverter<FeatureSet> {
    @Override
    public FeatureSet convert(String value) {
      try {
        return FeatureSet.fromOption(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Trains, calibrates, saves and evaluates a bundle in {@code options.out()}. */
  public static void run(TrainOptions options, String command) throws Exception {
    Instant started = Instant.now();
    log("options " + options.asMap());
    PhysioNetReader.Result read = PhysioNetReader.read(options.data());
    List<PhysioNetStay> stays = read.stays();
    Map<String, Part> parts = Split.of(stays, options.seed());
    // Sparsely charted stays are trained on too (a wearable or another hospital measures less
    // often than set A's ICUs); validation and test keep their real density.
    List<PhysioNetStay> train =
        Robustness.thinShare(
            Split.select(stays, parts, Part.TRAIN), options.thinFraction(), options.seed());
    List<PhysioNetStay> validation = Split.select(stays, parts, Part.VALIDATION);
    List<PhysioNetStay> test = Split.select(stays, parts, Part.TEST);
    log(
        String.format(
            Locale.ROOT,
            "%d stays (train %d, validation %d, test %d), data sha256 %s",
            stays.size(),
            train.size(),
            validation.size(),
            test.size(),
            read.dataHash()));

    int hours = options.hours();
    int history = options.historyHours();
    FeatureSet features = options.features();
    // The normaliser is fitted on, and only, the sampled training rows (the network's training
    // data): the course features of every training hour would take several GB and most of the
    // encoding time.
    Normaliser.Fitter fitter = new Normaliser.Fitter(features);
    EncodedSet.forEachRaw(
        train,
        features,
        history,
        hours,
        sampler(options.negativeFraction(), options.seed()),
        fitter::add);
    Normaliser normaliser = fitter.fit();
    EncodedSet trainSet =
        EncodedSet.encode(
            train,
            features,
            history,
            hours,
            normaliser,
            sampler(options.negativeFraction(), options.seed()));
    EncodedSet valSet = EncodedSet.encode(validation, features, history, hours, normaliser);
    int[] rows = java.util.stream.IntStream.range(0, trainSet.n).toArray();
    long positives = Arrays.stream(trainSet.labels).sum();
    log(
        String.format(
            Locale.ROOT,
            "encoded: %d training windows of %d (%d positive), %d validation",
            trainSet.n,
            train.stream().mapToInt(s -> s.rows().size()).sum(),
            positives,
            valSet.n));

    ModelConfig config = options.modelConfig(trainSet.features);
    Instant trainStart = Instant.now();
    EarlyStoppingResult<MultiLayerNetwork> result = fit(config, trainSet, rows, valSet, options);
    MultiLayerNetwork net = result.getBestModel();
    double trainMinutes = minutesSince(trainStart);
    log("early stopping: " + result);

    log("fitting the logistic-regression baseline");
    LogisticRegression lr =
        LogisticRegression.fit(
            trainSet.packed,
            trainSet.labels,
            rows,
            trainSet.rowLength(),
            3,
            options.positiveWeight(),
            options.l2(),
            options.seed());

    log("fitting the gradient-boosted tree baseline");
    TreeBaseline tree =
        TreeBaseline.fit(
            trainSet, valSet, options.positiveWeight(), options.seed(), options.treeRounds());

    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("trainingOptions", options.asMap());
    metrics.put("bestEpoch", result.getBestModelEpoch() + 1);
    metrics.put("epochsRun", result.getTotalEpochs());
    metrics.put("terminationReason", result.getTerminationReason().toString());
    metrics.put("terminationDetails", result.getTerminationDetails());
    metrics.put("validationAurocByEpoch", aurocByEpoch(result));
    metrics.put("trainingMinutes", trainMinutes);
    metrics.put(
        "split",
        Map.of("train", train.size(), "validation", validation.size(), "test", test.size()));
    metrics.put("sampledTrainingWindows", rows.length);
    metrics.put("sampledPositiveWindows", positives);
    String version =
        String.format(
            Locale.ROOT,
            "lstm%d-%s-h%d-w%d-seed%d-%s",
            options.units(),
            features.optionName(),
            history,
            hours,
            options.seed(),
            read.dataHash().substring(0, 8));
    BundleMetadata meta =
        new BundleMetadata(
            version,
            Instant.now().toString(),
            features.names(),
            history,
            "PhysioNet 2019 SepsisLabel of the window's last hour (1 from 6 h before clinical"
                + " sepsis onset)",
            config,
            options.seed(),
            read.dataHash(),
            command,
            metrics,
            List.of());
    finish(
        net,
        normaliser,
        meta,
        lr,
        tree,
        valSet,
        () -> EncodedSet.encode(test, features, history, hours, normaliser),
        options.out(),
        "test part of " + options.data().getFileName(),
        options.bootstrap(),
        started);
  }

  /**
   * DL4J early stopping: one epoch over the sampled rows in a seeded order, then the validation
   * AUROC; the best epoch's network is kept in memory and returned.
   */
  static EarlyStoppingResult<MultiLayerNetwork> fit(
      ModelConfig config,
      EncodedSet trainSet,
      int[] rows,
      EncodedSet valSet,
      TrainOptions options) {
    MultiLayerNetwork net = NetworkFactory.build(config);
    EarlyStoppingConfiguration<MultiLayerNetwork> es =
        new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
            .epochTerminationConditions(
                new MaxEpochsTerminationCondition(options.epochs()),
                new ScoreImprovementEpochTerminationCondition(options.patience()))
            .iterationTerminationConditions(
                new MaxTimeIterationTerminationCondition(
                    Math.round(options.maxTrainMinutes() * 60_000), TimeUnit.MILLISECONDS),
                new InvalidScoreIterationTerminationCondition())
            .scoreCalculator(
                new ROCScoreCalculator(
                    ROCScoreCalculator.ROCType.ROC,
                    ROCScoreCalculator.Metric.AUC,
                    WindowBatches.inOrder(valSet, 1024)))
            .evaluateEveryNEpochs(1)
            .modelSaver(new KeepTrained(net))
            .build();
    WindowBatches batches =
        WindowBatches.shuffled(trainSet, rows, options.batch(), options.seed() ^ 0xBA7C4L);
    return new EarlyStoppingTrainer(es, net, batches).fit();
  }

  /**
   * Keeps the best validated network in memory; when the time budget ends before the first
   * validation, the network as trained so far (DL4J's trainer would fail on a missing best model).
   * The bundle's metrics then show no validated epoch.
   */
  static final class KeepTrained extends InMemoryModelSaver<MultiLayerNetwork> {
    private final MultiLayerNetwork training;

    KeepTrained(MultiLayerNetwork training) {
      this.training = training;
    }

    @Override
    public MultiLayerNetwork getBestModel() throws java.io.IOException {
      MultiLayerNetwork best = super.getBestModel();
      return best != null ? best : training.clone();
    }
  }

  private static Map<String, Double> aurocByEpoch(EarlyStoppingResult<MultiLayerNetwork> result) {
    Map<String, Double> byEpoch = new java.util.TreeMap<>();
    result.getScoreVsEpoch().forEach((epoch, auroc) -> byEpoch.put("epoch " + (epoch + 1), auroc));
    return byEpoch;
  }

  /**
   * Calibrates the network and the baseline on validation, chooses the thresholds by alert budget,
   * saves the bundle and the baseline to {@code out}, then evaluates the test part into the
   * bundle's metrics and {@code evaluation-test.json}.
   */
  static void finish(
      MultiLayerNetwork net,
      Normaliser normaliser,
      BundleMetadata base,
      LogisticRegression lr,
      TreeBaseline tree,
      EncodedSet valSet,
      java.util.function.Supplier<EncodedSet> testSet,
      Path out,
      String testDescription,
      int bootstrap,
      Instant started)
      throws java.io.IOException {
    double[] valRaw = predict(net, valSet, 1024);
    PlattCalibration calibration = PlattCalibration.fit(valRaw, valSet.labels);
    double[] valLstm = Arrays.stream(valRaw).map(calibration::apply).toArray();
    double[] valLrRaw = lr.predictAll(valSet.packed, valSet.n);
    PlattCalibration lrCalibration = PlattCalibration.fit(valLrRaw, valSet.labels);
    double[] valLr = Arrays.stream(valLrRaw).map(lrCalibration::apply).toArray();

    Evaluator valEval = new Evaluator(valSet.labels, valSet.stayStart);
    double[] valNews2 = Arrays.stream(valSet.news2).asDoubleStream().toArray();
    double[] news2Rates = valEval.ratesAt(valNews2, 5);
    double budget = news2Rates[0] / 2;
    double halfThreshold = valEval.thresholdForBudget(valLstm, budget);
    double sameThreshold = valEval.thresholdForBudget(valLstm, news2Rates[0]);
    double lrThreshold = valEval.thresholdForBudget(valLr, budget);
    double[] half = valEval.ratesAt(valLstm, halfThreshold);
    double[] same = valEval.ratesAt(valLstm, sameThreshold);
    List<ThresholdEntry> table =
        List.of(
            new ThresholdEntry(
                "half-news2-alert-rate",
                halfThreshold,
                "lowering the threshold from the top, the last before the validation alert-onset"
                    + " rate exceeds half that of NEWS2 >= 5 ("
                    + fmt(news2Rates[0])
                    + " per patient-day)",
                half[0],
                half[1]),
            new ThresholdEntry(
                "news2-alert-rate",
                sameThreshold,
                "lowering the threshold from the top, the last before the validation alert-onset"
                    + " rate exceeds that of NEWS2 >= 5",
                same[0],
                same[1]));
    log("thresholds " + table + "; NEWS2>=5 validation: " + Arrays.toString(news2Rates));

    Map<String, Object> metrics = new LinkedHashMap<>(base.metrics());
    metrics.remove("test");
    metrics.put("validationAuroc", Metrics.auroc(valLstm, valSet.labels));
    metrics.put("validationAuprc", Metrics.auprc(valLstm, valSet.labels));
    metrics.put("validationLogisticAuroc", Metrics.auroc(valLr, valSet.labels));
    metrics.put("validationNews2Auroc", Metrics.auroc(valNews2, valSet.labels));
    metrics.put("validationNews2AlertOnsetsPerPatientDay", news2Rates[0]);
    metrics.put("validationNews2SepticFlaggedBeforeOnset", news2Rates[1]);
    metrics.put("validationLogisticThreshold", lrThreshold);
    BundleMetadata meta = base.withThresholds(table).withMetrics(metrics);
    ModelBundle bundle = new ModelBundle(net, normaliser, calibration, meta);
    bundle.save(out);
    LogisticBaseline baseline = new LogisticBaseline(lr, lrCalibration, lrThreshold);
    baseline.save(out);
    if (tree != null) {
      tree.save(out);
    }
    log(
        "saved bundle "
            + meta.version()
            + " to "
            + out
            + " after "
            + fmt(minutesSince(started))
            + " min");

    Map<String, Object> report =
        Evaluate.evaluate(
            bundle,
            baseline,
            tree,
            testSet.get(),
            testDescription,
            meta.dataHash(),
            bootstrap,
            meta.seed());
    Map<String, Object> withTest = new LinkedHashMap<>(metrics);
    withTest.put("test", report.get("models"));
    // Retune keeps the training run's total and records its own duration next to it.
    withTest.put(
        base.metrics().containsKey("totalMinutes") ? "retuneMinutes" : "totalMinutes",
        minutesSince(started));
    bundle.withMetadata(meta.withMetrics(withTest)).save(out);
    Evaluate.writeReport(report, out.resolve("evaluation-test.json"));
    Evaluate.writePlot(report, out.resolve("calibration.png"));
    Evaluate.printTable(report, System.out);
    log("done in " + fmt(minutesSince(started)) + " min");
  }

  /**
   * Training sample: every hour of a septic stay, a seeded {@code negFraction} of the others' (one
   * draw per hour of a non-septic stay, in stay and row order).
   */
  static EncodedSet.RowFilter sampler(double negFraction, long seed) {
    Random random = new Random(seed ^ 0x5EED);
    return (stay, row) -> stay.septic() || random.nextDouble() < negFraction;
  }

  /** Raw network P(event) of every window of {@code set}, in batches. */
  static double[] predict(MultiLayerNetwork net, EncodedSet set, int batch) {
    double[] p = new double[set.n];
    int len = set.rowLength();
    for (int start = 0; start < set.n; start += batch) {
      int end = Math.min(set.n, start + batch);
      float[] buf = Arrays.copyOfRange(set.packed, start * len, end * len);
      INDArray x = Nd4j.create(buf, new long[] {end - start, set.features, set.hours}, 'c');
      INDArray y = net.output(x, false);
      for (int i = start; i < end; i++) {
        p[i] = y.getDouble(i - start, 1);
      }
    }
    return p;
  }

  static double minutesSince(Instant t) {
    return Duration.between(t, Instant.now()).toMillis() / 60000.0;
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  static void log(String message) {
    System.out.println(Instant.now() + " " + message);
    System.out.flush();
  }
}
