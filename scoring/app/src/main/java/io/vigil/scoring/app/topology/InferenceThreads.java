package io.vigil.scoring.app.topology;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How many native threads one DL4J inference call may use: OpenBLAS's (matrix products) and
 * OpenMP's (libnd4j's element-wise ops: sigmoid, tanh, copies). Both take every core by default.
 * For this network's small matrices the threads spend more time handing work to each other than
 * computing, and they wait at a barrier for every one of the hundreds of ops in a call: when
 * another process (or another stream thread) holds one of the cores, each op waits for the
 * scheduler and a call takes up to ten times longer (measured on a 2-core machine: 1.5 k windows/s
 * at the defaults, 0.7 k with one busy neighbouring thread; 10.7 k with one thread each, busy
 * neighbour or not). One thread per call, and one stream thread per core, scales better. The
 * OpenBLAS limit is process-wide, the OpenMP one is per calling thread, so every stream thread
 * calls {@link #limit} before its first inference; the scoring service is the only DL4J user in its
 * process.
 */
public final class InferenceThreads {
  private InferenceThreads() {}

  /** Limits the calling thread's DL4J calls (and OpenBLAS, process-wide) to {@code threads}. */
  public static void limit(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("inference threads must be at least 1, got " + threads);
    }
    if (Nd4j.factory().blas().getMaxThreads() != threads) {
      Nd4j.factory().blas().setMaxThreads(threads);
    }
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
  }

  /** The current OpenBLAS thread limit. */
  public static int current() {
    return Nd4j.factory().blas().getMaxThreads();
  }
}
