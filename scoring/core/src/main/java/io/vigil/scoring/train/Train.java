package io.vigil.scoring.train;

import io.vigil.scoring.features.FeatureEncoder;
import io.vigil.scoring.model.BundleMetadata;
import io.vigil.scoring.model.ModelBundle;
import io.vigil.scoring.model.ModelConfig;
import io.vigil.scoring.model.NetworkFactory;
import io.vigil.scoring.model.Normaliser;
import io.vigil.scoring.model.PlattCalibration;
import io.vigil.scoring.model.ThresholdEntry;
import io.vigil.scoring.physionet.PhysioNetReader;
import io.vigil.scoring.physionet.PhysioNetStay;
import io.vigil.scoring.train.Split.Part;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains the deterioration LSTM on PhysioNet 2019 set A and saves a bundle.
 *
 * <p>Label: the challenge's hourly SepsisLabel (1 from 6 h before clinical sepsis onset onward), so
 * each hourly window is asked "is this patient within 6 h of, or past, sepsis onset?". Steps:
 * seeded patient-level split (70/15/15, stratified by septic stay); normaliser fitted on training
 * windows; training rows = every hour of septic training stays plus a seeded {@code
 * --negative-fraction} of the hours of the other training stays, the positive class further
 * weighted by {@code --positive-weight} (class imbalance); Adam on mini-batches; after each epoch
 * the validation AUROC decides early stopping (patience {@code --patience} epochs, the best epoch's
 * parameters kept) and a wall-clock budget {@code --max-train-minutes} bounds training; Platt
 * calibration on validation; the logistic-regression baseline on the same rows; thresholds by alert
 * budget on validation; then the test part is evaluated and written into the bundle's metrics.
 *
 * <p>Usage: {@code Train --data training_setA.tar.gz --out DIR [--seed 2019] [--hours 12] [--units
 * 48] [--epochs 8] [--batch 512] [--negative-fraction 0.3] [--positive-weight 4] [--patience 2]
 * [--max-train-minutes 26] [--bootstrap 200] [--eval-every BATCHES] [--learning-rate 2e-3] [--l2
 * 1e-4] [--dropout 0.2]}; {@code --patience} counts validation checks (every {@code --eval-every}
 * batches, default once per epoch)
 */
public final class Train {
  private Train() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    Instant started = Instant.now();
    Path data = Path.of(args.get("data", "/work/shared/data/physionet2019/training_setA.tar.gz"));
    Path out =
        Path.of(args.get("out", "scoring/core/src/main/resources/io/vigil/scoring/model/default"));
    long seed = args.getLong("seed", 2019);
    int hours = args.getInt("hours", 12);
    int units = args.getInt("units", 48);
    int epochs = args.getInt("epochs", 8);
    int batch = args.getInt("batch", 512);
    double negFraction = args.getDouble("negative-fraction", 0.3);
    double posWeight = args.getDouble("positive-weight", 4);
    int patience = args.getInt("patience", 2);
    int evalEvery = args.getInt("eval-every", 0);
    double learningRate = args.getDouble("learning-rate", 2e-3);
    double l2 = args.getDouble("l2", 1e-4);
    double dropout = args.getDouble("dropout", 0.2);
    double maxMinutes = args.getDouble("max-train-minutes", 26);
    int bootstrap = args.getInt("bootstrap", 200);
    String command = "Train " + String.join(" ", argv);

    log("reading " + data);
    PhysioNetReader.Result read = PhysioNetReader.read(data);
    List<PhysioNetStay> stays = read.stays();
    Map<String, Part> parts = Split.of(stays, seed);
    List<PhysioNetStay> train = Split.select(stays, parts, Part.TRAIN);
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

    Normaliser.Fitter fitter = new Normaliser.Fitter(FeatureEncoder.FEATURES);
    EncodedSet.forEachRaw(train, hours, fitter::add);
    Normaliser normaliser = fitter.fit();
    EncodedSet trainSet = EncodedSet.encode(train, hours, normaliser);
    EncodedSet valSet = EncodedSet.encode(validation, hours, normaliser);
    int[] rows = sampleRows(trainSet, negFraction, seed);
    long positives = Arrays.stream(rows).filter(r -> trainSet.labels[r] == 1).count();
    log(
        String.format(
            Locale.ROOT,
            "encoded: %d training windows, %d sampled (%d positive), %d validation",
            trainSet.n,
            rows.length,
            positives,
            valSet.n));

    ModelConfig config =
        new ModelConfig(
            FeatureEncoder.FEATURES, hours, new int[] {units}, 2e-3, 1e-4, 0.2, posWeight, seed);
    MultiLayerNetwork net = NetworkFactory.build(config);
    INDArray best = null;
    double bestAuroc = -1;
    int bestEpoch = -1;
    Instant trainStart = Instant.now();
    Random random = new Random(seed);
    List<Map<String, Object>> history = new ArrayList<>();
    int epoch = 0;
    int checks = 0;
    int bestCheck = 0;
    boolean stop = false;
    int perEpoch = (rows.length + batch - 1) / batch;
    int checkEvery = evalEvery > 0 ? evalEvery : perEpoch;
    double lossSum = 0;
    int batches = 0;
    for (; epoch < epochs && !stop; epoch++) {
      LogisticRegression.shuffle(rows, random);
      for (int b = 0; b < perEpoch && !stop; b++) {
        int start = b * batch;
        int end = Math.min(rows.length, start + batch);
        net.fit(batchFeatures(trainSet, rows, start, end), batchLabels(trainSet, rows, start, end));
        lossSum += net.score();
        batches++;
        boolean outOfTime = minutesSince(trainStart) > maxMinutes;
        if (batches % checkEvery != 0 && b != perEpoch - 1 && !outOfTime) {
          continue;
        }
        // Validation check: at every checkEvery batches, at the end of each epoch, and when the
        // time budget runs out.
        checks++;
        double auroc = Metrics.auroc(predict(net, valSet, 1024), valSet.labels);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("check", checks);
        h.put("epoch", epoch + (b + 1.0) / perEpoch);
        h.put("trainLoss", lossSum / batches);
        h.put("validationAuroc", auroc);
        h.put("minutes", minutesSince(trainStart));
        history.add(h);
        log("check " + h);
        lossSum = 0;
        batches = 0;
        if (auroc > bestAuroc) {
          bestAuroc = auroc;
          bestCheck = checks;
          bestEpoch = epoch + 1;
          best = net.params().dup();
        } else if (checks - bestCheck >= patience) {
          log("early stop: no validation improvement for " + patience + " checks");
          stop = true;
        }
        stop |= outOfTime;
      }
    }
    net.setParams(best);
    double trainMinutes = minutesSince(trainStart);

    log("fitting the logistic-regression baseline");
    LogisticRegression lr =
        LogisticRegression.fit(
            trainSet.packed, trainSet.labels, rows, trainSet.rowLength(), 3, posWeight, 1e-4, seed);

    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("bestEpoch", bestEpoch);
    metrics.put("bestCheck", bestCheck);
    metrics.put("epochsRun", epoch);
    metrics.put("history", history);
    metrics.put("trainingMinutes", trainMinutes);
    metrics.put(
        "split",
        Map.of("train", train.size(), "validation", validation.size(), "test", test.size()));
    metrics.put("sampledTrainingWindows", rows.length);
    metrics.put("sampledPositiveWindows", positives);
    String version =
        String.format(
            Locale.ROOT,
            "lstm%d-w%d-seed%d-%s",
            units,
            hours,
            seed,
            read.dataHash().substring(0, 8));
    BundleMetadata meta =
        new BundleMetadata(
            version,
            Instant.now().toString(),
            FeatureEncoder.names(),
            hours,
            "PhysioNet 2019 SepsisLabel of the window's last hour (1 from 6 h before clinical"
                + " sepsis onset)",
            config,
            seed,
            read.dataHash(),
            command,
            metrics,
            List.of());
    finish(
        net,
        normaliser,
        meta,
        lr,
        valSet,
        () -> EncodedSet.encode(test, hours, normaliser),
        out,
        "test part of " + data.getFileName(),
        bootstrap,
        started);
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

  static int[] sampleRows(EncodedSet set, double negFraction, long seed) {
    Random random = new Random(seed ^ 0x5EED);
    List<Integer> rows = new ArrayList<>();
    for (int s = 0; s < set.stays.size(); s++) {
      boolean septic = set.stays.get(s).septic();
      for (int r = set.stayStart[s]; r < set.stayStart[s + 1]; r++) {
        if (septic || random.nextDouble() < negFraction) {
          rows.add(r);
        }
      }
    }
    return rows.stream().mapToInt(Integer::intValue).toArray();
  }

  static INDArray batchFeatures(EncodedSet set, int[] rows, int start, int end) {
    int len = set.rowLength();
    float[] buf = new float[(end - start) * len];
    for (int i = start; i < end; i++) {
      System.arraycopy(set.packed, rows[i] * len, buf, (i - start) * len, len);
    }
    return Nd4j.create(buf, new long[] {end - start, FeatureEncoder.FEATURES, set.hours}, 'c');
  }

  static INDArray batchLabels(EncodedSet set, int[] rows, int start, int end) {
    float[] buf = new float[(end - start) * 2];
    for (int i = start; i < end; i++) {
      buf[(i - start) * 2 + set.labels[rows[i]]] = 1f;
    }
    return Nd4j.create(buf, new long[] {end - start, 2}, 'c');
  }

  /** Raw network P(event) of every window of {@code set}, in batches. */
  static double[] predict(MultiLayerNetwork net, EncodedSet set, int batch) {
    double[] p = new double[set.n];
    int len = set.rowLength();
    for (int start = 0; start < set.n; start += batch) {
      int end = Math.min(set.n, start + batch);
      float[] buf = Arrays.copyOfRange(set.packed, start * len, end * len);
      INDArray x =
          Nd4j.create(buf, new long[] {end - start, FeatureEncoder.FEATURES, set.hours}, 'c');
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
