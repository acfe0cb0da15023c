package io.vigil.scoring.train;

import io.vigil.scoring.model.Json;
import io.vigil.scoring.model.ModelBundle;
import io.vigil.scoring.model.PlattCalibration;
import io.vigil.scoring.train.Split.Part;
import io.vigil.tools.cli.Usage;
import io.vigil.tools.physionet.PhysioNetData;
import io.vigil.tools.physionet.PhysioNetReader;
import io.vigil.tools.physionet.PhysioNetStay;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Evaluates a bundle hour by hour on a PhysioNet-format folder (or .tar.gz) against NEWS2, the
 * bundle's logistic-regression baseline and, when the bundle has one, its gradient-boosted tree
 * baseline ({@link TreeBaseline}), on the same hours: AUROC, AUPRC, normalized utility, alert
 * onsets per patient-day and septic stays flagged in the 48 h before onset, with 95 % bootstrap
 * intervals by patient. Prints a table and writes JSON (and a calibration plot PNG).
 *
 * <p>With {@code --robustness true}, also every model's figures per subgroup that changes between
 * hospitals (age band, sex, length of stay, quartile of measurement density) and on the same stays
 * with every vital reading kept with probability one half (seeded): half the measurement density.
 *
 * <p>An instance is the command line ({@code ./vigil evaluate --help}). {@code --part test}
 * re-creates the bundle's split from its seed and refuses data whose hash differs from the training
 * data's. Without {@code --bundle} the shipped bundle is evaluated (it carries its baselines).
 */
@Command(
    name = "./vigil evaluate",
    description =
        "Evaluates a model bundle hour by hour on a PhysioNet-format folder or archive against"
            + " NEWS2 and the bundle's baselines, on the same hours; prints a table and writes JSON.",
    exitCodeList = {
      "0:evaluated; the report is written",
      "1:the evaluation failed (the error is printed)",
      "2:invalid command line: an unknown option, a value out of range, or --part with data the"
          + " bundle was not trained on"
    })
public final class Evaluate implements Callable<Integer> {
  private static final Set<String> PARTS = Set.of("all", "test", "validation");

  @Mixin private Usage usage;

  @Mixin private PhysioNetData data;

  @Option(
      names = "--bundle",
      paramLabel = "BUNDLE_DIR",
      defaultValue = "scoring/core/src/main/resources/io/vigil/scoring/model/default",
      description = "Bundle folder to evaluate (the shipped bundle by default).")
  private Path bundleDir;

  @Option(
      names = "--part",
      paramLabel = "all|test|validation",
      defaultValue = "all",
      description =
          "all: every stay; test or validation: that part of the bundle's training split,"
              + " re-created from its seed (the data must be the training data).")
  private String part;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      defaultValue = "evaluation.json",
      description = "Report to write.")
  private Path json;

  @Option(
      names = "--png",
      paramLabel = "FILE",
      description = "Calibration plot to write (none without it).")
  private Path png;

  @Option(
      names = "--bootstrap",
      paramLabel = "N",
      defaultValue = "200",
      description = "Bootstrap resamples of patients for the 95 %% intervals, 0 or more.")
  private int bootstrap;

  @Option(
      names = "--robustness",
      arity = "1",
      paramLabel = "true|false",
      defaultValue = "false",
      description =
          "Also every model's figures per subgroup (age band, sex, length of stay, measurement"
              + " density) and at half the measurement density. Default: ${DEFAULT-VALUE}.")
  private boolean robustness;

  @SuppressWarnings("checkstyle:systemExit")
  public static void main(String[] argv) {
    System.exit(new CommandLine(new Evaluate()).execute(argv));
  }

  @Override
  public Integer call() throws IOException {
    String which = part.toLowerCase(Locale.ROOT);
    if (!PARTS.contains(which)) {
      throw usage.error("--part must be all, test or validation, got " + part);
    }
    usage.require(bootstrap >= 0, "--bootstrap must be 0 or more, got " + bootstrap);
    ModelBundle bundle = ModelBundle.load(bundleDir);
    LogisticBaseline baseline = LogisticBaseline.load(bundleDir);
    TreeBaseline tree = TreeBaseline.loadIfPresent(bundleDir);
    PhysioNetReader.Result read = data.read();
    List<PhysioNetStay> stays = read.stays();
    if (!which.equals("all")) {
      if (!read.dataHash().equals(bundle.metadata().dataHash())) {
        throw usage.error(
            "--part "
                + which
                + " needs the bundle's training data (sha256 "
                + bundle.metadata().dataHash()
                + "), got "
                + read.dataHash());
      }
      Part p = Part.valueOf(which.toUpperCase(Locale.ROOT));
      stays = Split.select(stays, Split.of(stays, bundle.metadata().seed()), p);
    }
    EncodedSet set = EncodedSet.encode(stays, bundle);
    Map<String, Object> report =
        evaluate(
            bundle,
            baseline,
            tree,
            set,
            which + " of " + data.path().getFileName(),
            read.dataHash(),
            bootstrap,
            bundle.metadata().seed());
    printTable(report, System.out);
    if (robustness) {
      Robustness.add(report, bundle, baseline, tree, set, bootstrap);
    }
    writeReport(report, json);
    if (png != null) {
      writePlot(report, png);
    }
    return 0;
  }

  /** Every model's calibrated score of every hour of {@code set}, with its threshold. */
  record Scored(String model, double[] score, double threshold) {}

  static List<Scored> score(
      ModelBundle bundle, LogisticBaseline baseline, TreeBaseline tree, EncodedSet set) {
    double[] raw = bundle.scorer().rawScore(set.packed, set.n);
    PlattCalibration cal = bundle.calibration();
    List<Scored> scored = new ArrayList<>();
    scored.add(
        new Scored(
            "lstm",
            Arrays.stream(raw).map(cal::apply).toArray(),
            bundle.metadata().defaultThreshold()));
    scored.add(new Scored("news2", Arrays.stream(set.news2).asDoubleStream().toArray(), 5));
    scored.add(new Scored("logistic", baseline.score(set.packed, set.n), baseline.threshold()));
    if (tree != null) {
      scored.add(new Scored("xgboost", tree.score(set), tree.threshold()));
    }
    return scored;
  }

  /** Scores every hour of {@code set} with every model and evaluates them. */
  public static Map<String, Object> evaluate(
      ModelBundle bundle,
      LogisticBaseline baseline,
      TreeBaseline tree,
      EncodedSet set,
      String description,
      String dataHash,
      int bootstrap,
      long seed) {
    List<Scored> scored = score(bundle, baseline, tree, set);
    double[] lstm = scored.get(0).score();
    Evaluator evaluator = new Evaluator(set.labels, set.stayStart);
    Map<String, Object> models = new LinkedHashMap<>();
    for (Scored s : scored) {
      models.put(s.model(), evaluator.evaluate(s.score(), s.threshold(), bootstrap, seed));
    }
    long septic = set.stays.stream().filter(PhysioNetStay::septic).count();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("data", description);
    report.put("dataHash", dataHash);
    report.put("modelVersion", bundle.version());
    report.put("stays", set.stays.size());
    report.put("septicStays", septic);
    report.put("hours", set.n);
    report.put("positiveHours", Arrays.stream(set.labels).sum());
    report.put("bootstrapReplicates", bootstrap);
    report.put("models", models);
    report.put("calibration", calibrationBins(lstm, set.labels, 10));
    return report;
  }

  /** Deciles of predicted risk: mean predicted vs observed rate. */
  static List<Map<String, Object>> calibrationBins(double[] p, int[] y, int bins) {
    int[] order = Metrics.ascendingOrder(p);
    List<Map<String, Object>> out = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      int from = (int) ((long) order.length * b / bins);
      int to = (int) ((long) order.length * (b + 1) / bins);
      double sp = 0;
      double sy = 0;
      for (int i = from; i < to; i++) {
        sp += p[order[i]];
        sy += y[order[i]];
      }
      Map<String, Object> bin = new LinkedHashMap<>();
      bin.put("meanPredicted", sp / Math.max(1, to - from));
      bin.put("observedRate", sy / Math.max(1, to - from));
      bin.put("hours", to - from);
      out.add(bin);
    }
    return out;
  }

  public static void writeReport(Map<String, Object> report, Path file) throws IOException {
    Json.MAPPER.writeValue(file.toFile(), report);
  }

  @SuppressWarnings("unchecked")
  static void writePlot(Map<String, Object> report, Path file) throws IOException {
    CalibrationPlot.write(
        (List<Map<String, Object>>) report.get("calibration"),
        "LSTM calibration, " + report.get("data"),
        file);
  }

  @SuppressWarnings("unchecked")
  public static void printTable(Map<String, Object> report, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%s: %s stays (%s septic), %s hours, model %s%n",
        report.get("data"),
        report.get("stays"),
        report.get("septicStays"),
        report.get("hours"),
        report.get("modelVersion"));
    out.printf(Locale.ROOT, "%-9s %-9s", "model", "threshold");
    for (String m : Evaluator.FIGURES) {
      out.printf(Locale.ROOT, " %-26s", m);
    }
    out.println();
    Map<String, Object> models = (Map<String, Object>) report.get("models");
    for (Map.Entry<String, Object> e : models.entrySet()) {
      Map<String, Object> m = (Map<String, Object>) e.getValue();
      out.printf(
          Locale.ROOT, "%-9s %-9.4f", e.getKey(), ((Number) m.get("threshold")).doubleValue());
      for (String name : Evaluator.FIGURES) {
        Evaluator.Figure f = (Evaluator.Figure) m.get(name);
        out.printf(
            Locale.ROOT,
            " %-26s",
            String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", f.value(), f.lo(), f.hi()));
      }
      out.println();
    }
    out.flush();
  }

  static void ensureParent(Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
  }
}
