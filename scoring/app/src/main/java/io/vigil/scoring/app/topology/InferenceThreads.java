package io.vigil.scoring.app.topology;

import org.nd4j.linalg.factory.Nd4j;

/**
 * How many native threads one DL4J inference call may use. OpenBLAS takes every core by default;
 * for this network's small matrices (batch × 24 features × 192 gates per step) the threads spend
 * more time handing work to each other than computing, they spin against the stream threads for the
 * same cores, and under other load on the machine a call can take ten times longer. One thread per
 * call, and one stream thread per core, scales better (see the module README for the measurement).
 * The setting is process-wide; the scoring service is the only DL4J user in its process.
 */
public final class InferenceThreads {
  private InferenceThreads() {}

  /** Limits OpenBLAS to {@code threads} threads per call. */
  public static void limit(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("inference threads must be at least 1, got " + threads);
    }
    if (Nd4j.factory().blas().getMaxThreads() != threads) {
      Nd4j.factory().blas().setMaxThreads(threads);
    }
  }

  /** The current OpenBLAS thread limit. */
  public static int current() {
    return Nd4j.factory().blas().getMaxThreads();
  }
}
