package io.vigil.tools.physionet;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/**
 * The {@code DIR} parameter of the command lines that read PhysioNet-format stays (the replay, the
 * evaluation), mixed in with {@code @Mixin}: a folder of {@code .psv} files or the set's {@code
 * .tar.gz}, read with {@link PhysioNetReader}.
 */
public final class PhysioNetData {
  @Parameters(
      paramLabel = "DIR",
      description = "PhysioNet-format folder of .psv files, or the set's .tar.gz.")
  private Path path;

  /** The folder or archive named. */
  public Path path() {
    return path;
  }

  /** Its stays and their hash ({@link PhysioNetReader#read}). */
  public PhysioNetReader.Result read() throws IOException {
    return PhysioNetReader.read(path);
  }
}
