package io.vigil.scoring.train;

import io.vigil.scoring.model.ModelBundle;
import io.vigil.scoring.physionet.PhysioNetStay;
import io.vigil.scoring.train.Split.Part;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Re-runs the steps after training on a saved bundle, without retraining: Platt calibration of the
 * network and the baseline on the validation part, thresholds by alert budget, test evaluation. For
 * when the threshold rule changes.
 *
 * <p>Usage: {@code Retune BUNDLE_DIR --data training_setA.tar.gz [--bootstrap 200]}; the data must
 * be the bundle's training data (same hash).
 */
public final class Retune {
  private Retune() {}

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    Instant started = Instant.now();
    Path dir = Path.of(args.positional.get(0));
    Path data = Path.of(args.get("data", "/work/shared/data/physionet2019/training_setA.tar.gz"));
    ModelBundle bundle = ModelBundle.load(dir);
    LogisticBaseline baseline = LogisticBaseline.load(dir);
    Map<Part, List<PhysioNetStay>> parts = Split.readParts(data, bundle.metadata());
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
        "test part of " + data.getFileName(),
        args.getInt("bootstrap", 200),
        started);
  }
}
