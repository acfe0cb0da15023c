package io.vigil.tools.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * A deterioration with a known onset: vitals start to move at {@code onset} and reach the full
 * shift of {@code type} after {@code ramp}.
 */
public record Episode(EpisodeType type, Instant onset, Duration ramp) {
  /** Fraction of the full shift reached at {@code t}, 0 before onset, 1 after the ramp. */
  public double severity(Instant t) {
    if (t.isBefore(onset)) {
      return 0;
    }
    double f = Duration.between(onset, t).toMillis() / (double) ramp.toMillis();
    return Math.min(1, f);
  }
}
