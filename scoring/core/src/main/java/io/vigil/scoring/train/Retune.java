package io.vigil.scoring.train;

import io.vigil.scoring.model.ModelBundle;
import io.vigil.scoring.train.Split.Part;
import io.vigil.tools.cli.Usage;
import io.vigil.tools.physionet.PhysioNetStay;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Re-runs the steps after training on a saved bundle, without retraining: Platt calibration of the
 * network and the baseline on the validation part, thresholds by alert budget, test evaluation. For
 * when the threshold rule changes.
 *
 * <p>An instance is the command line ({@code Retune --help}); the data must be the bundle's
 * training data (same hash).
 */
@Command(
    name = "Retune",
    description =
        "Re-fits a saved bundle's calibrations and thresholds on the validation part and"
            + " re-evaluates the test part, without retraining.",
    exitCodeList = {
      "0:the bundle was retuned and re-evaluated",
      "1:retuning failed (the error is printed)",
      "2:invalid command line: an unknown option or a value out of range"
    })
public final class Retune implements Callable<Integer> {
  @Mixin private Usage usage;

  @Parameters(paramLabel = "BUNDLE_DIR", description = "Bundle folder, rewritten in place.")
  private Path dir;

  @Mixin private TrainingData data;

  @Option(
      names = "--bootstrap",
      paramLabel = "N",
      defaultValue = "200",
      description = "Bootstrap resamples of patients for the test-part intervals, 0 or more.")
  private int bootstrap;

  @SuppressWarnings("checkstyle:systemExit")
  public static void main(String[] argv) {
    System.exit(new CommandLine(new Retune()).execute(argv));
  }

  @Override
  public Integer call() throws Exception {
    usage.require(bootstrap >= 0, "--bootstrap must be 0 or more, got " + bootstrap);
    Instant started = Instant.now();
    ModelBundle bundle = ModelBundle.load(dir);
    LogisticBaseline baseline = LogisticBaseline.load(dir);
    Map<Part, List<PhysioNetStay>> parts = Split.readParts(data.path(), bundle.metadata());
    List<PhysioNetStay> validation = parts.get(Part.VALIDATION);
    List<PhysioNetStay> test = parts.get(Part.TEST);
    EncodedSet valSet = EncodedSet.encode(validation, bundle);
    Train.finish(
        bundle.network(),
        bundle.normaliser(),
        bundle.metadata(),
        baseline.model(),
        TreeBaseline.loadIfPresent(dir),
        valSet,
        () -> EncodedSet.encode(test, bundle),
        dir,
        "test part of " + data.path().getFileName(),
        bootstrap,
        started);
    return 0;
  }
}
