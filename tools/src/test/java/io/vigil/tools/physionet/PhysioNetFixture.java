package io.vigil.tools.physionet;

import java.nio.file.Path;

/**
 * The eleven PhysioNet 2019 stays the tests read and replay. They are kept once, with their
 * citation, in scoring/core's test resources, where training and evaluation tests read them too;
 * this module's tests run from {@code tools/}.
 */
public final class PhysioNetFixture {
  private static final Path FOLDER = Path.of("../scoring/core/src/test/resources/physionet2019");

  /** The folder of {@code .psv} files. */
  public static final Path STAYS = FOLDER.resolve("stays");

  /** The same stays as a {@code .tar.gz}, as the set is published. */
  public static final Path ARCHIVE = FOLDER.resolve("stays.tar.gz");

  private PhysioNetFixture() {}
}
