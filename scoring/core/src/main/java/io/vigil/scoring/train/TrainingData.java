package io.vigil.scoring.train;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --data PATH} option of the command lines that read a bundle's training data ({@link
 * Train}, {@link Retune}, {@link TreeBaseline}), mixed in with {@code @Mixin}: PhysioNet 2019 set
 * A, a folder or the archive, by default the data set beside the checkout.
 */
public final class TrainingData {
  @Option(
      names = "--data",
      paramLabel = "PATH",
      defaultValue = "../shared/data/physionet2019/training_setA.tar.gz",
      description =
          "The bundle's training data: PhysioNet set A, folder or archive; by default the data set"
              + " beside the checkout.")
  private Path path;

  /** The folder or archive named. */
  public Path path() {
    return path;
  }
}
